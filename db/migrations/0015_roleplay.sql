CREATE TYPE "public"."roleplay_comment_tone" AS ENUM('praise', 'correction', 'reply');--> statement-breakpoint
CREATE TYPE "public"."roleplay_recording_status" AS ENUM('processing', 'ready', 'refused');--> statement-breakpoint
CREATE TYPE "public"."roleplay_review_mode" AS ENUM('recording', 'live');--> statement-breakpoint
CREATE TYPE "public"."roleplay_study_item_kind" AS ENUM('course_module', 'file', 'video');--> statement-breakpoint
CREATE TABLE "roleplay_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cohort_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"scenario_id" uuid NOT NULL,
	"session_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"performed_live_at" timestamp with time zone,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roleplay_castings" (
	"assignment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role_id" text NOT NULL,
	CONSTRAINT "roleplay_castings_assignment_id_user_id_pk" PRIMARY KEY("assignment_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "roleplay_comments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"recording_id" uuid NOT NULL,
	"parent_id" bigint,
	"at_ms" integer,
	"tone" "roleplay_comment_tone" NOT NULL,
	"key_points" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"body" text NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "roleplay_recordings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"file_id" uuid,
	"mux_upload_id" text,
	"mux_asset_id" text,
	"mux_playback_id" text,
	"mime" text,
	"duration_seconds" integer,
	"status" "roleplay_recording_status" DEFAULT 'processing' NOT NULL,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "roleplay_reviews" (
	"assignment_id" uuid PRIMARY KEY NOT NULL,
	"mode" "roleplay_review_mode" NOT NULL,
	"recording_id" uuid,
	"levels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"score" smallint,
	"summary" text DEFAULT '' NOT NULL,
	"reviewer_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "roleplay_study_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" "roleplay_study_item_kind" NOT NULL,
	"ref" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roleplay_study_progress" (
	"item_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "roleplay_study_progress_item_id_user_id_pk" PRIMARY KEY("item_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "roleplay_assignments" ADD CONSTRAINT "roleplay_assignments_cohort_id_cohorts_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohorts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_assignments" ADD CONSTRAINT "roleplay_assignments_group_id_study_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."study_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_assignments" ADD CONSTRAINT "roleplay_assignments_scenario_id_roleplay_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "public"."roleplay_scenarios"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_assignments" ADD CONSTRAINT "roleplay_assignments_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_assignments" ADD CONSTRAINT "roleplay_assignments_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_castings" ADD CONSTRAINT "roleplay_castings_assignment_id_roleplay_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."roleplay_assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_castings" ADD CONSTRAINT "roleplay_castings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_comments" ADD CONSTRAINT "roleplay_comments_recording_id_roleplay_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."roleplay_recordings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_comments" ADD CONSTRAINT "roleplay_comments_parent_id_roleplay_comments_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."roleplay_comments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_comments" ADD CONSTRAINT "roleplay_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_recordings" ADD CONSTRAINT "roleplay_recordings_assignment_id_roleplay_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."roleplay_assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_recordings" ADD CONSTRAINT "roleplay_recordings_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_reviews" ADD CONSTRAINT "roleplay_reviews_assignment_id_roleplay_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."roleplay_assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_reviews" ADD CONSTRAINT "roleplay_reviews_recording_id_roleplay_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."roleplay_recordings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_reviews" ADD CONSTRAINT "roleplay_reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_study_items" ADD CONSTRAINT "roleplay_study_items_assignment_id_roleplay_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."roleplay_assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_study_progress" ADD CONSTRAINT "roleplay_study_progress_item_id_roleplay_study_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."roleplay_study_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_study_progress" ADD CONSTRAINT "roleplay_study_progress_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "roleplay_assignments_group_key" ON "roleplay_assignments" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "roleplay_assignments_cohort_idx" ON "roleplay_assignments" USING btree ("cohort_id");--> statement-breakpoint
CREATE INDEX "roleplay_castings_user_idx" ON "roleplay_castings" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "roleplay_comments_recording_idx" ON "roleplay_comments" USING btree ("recording_id","at_ms");--> statement-breakpoint
CREATE UNIQUE INDEX "roleplay_recordings_version_key" ON "roleplay_recordings" USING btree ("assignment_id","version");--> statement-breakpoint
CREATE INDEX "roleplay_study_items_assignment_idx" ON "roleplay_study_items" USING btree ("assignment_id","position");--> statement-breakpoint
CREATE INDEX "roleplay_study_progress_user_idx" ON "roleplay_study_progress" USING btree ("user_id");