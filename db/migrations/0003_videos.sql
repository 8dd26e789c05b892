CREATE TYPE "public"."trainer_note_visibility" AS ENUM('private', 'learners');--> statement-breakpoint
CREATE TYPE "public"."video_kind" AS ENUM('positive', 'negative', 'lecture');--> statement-breakpoint
CREATE TYPE "public"."video_origin" AS ENUM('content', 'upload');--> statement-breakpoint
CREATE TYPE "public"."video_provider" AS ENUM('local', 'mux');--> statement-breakpoint
CREATE TYPE "public"."video_status" AS ENUM('uploading', 'processing', 'ready', 'failed');--> statement-breakpoint
CREATE TABLE "breakpoint_responses" (
	"user_id" uuid NOT NULL,
	"breakpoint_id" text NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"answer" jsonb,
	"correct" boolean,
	"answered_at" timestamp with time zone,
	"prediction" text,
	"predicted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "breakpoint_responses_user_id_breakpoint_id_pk" PRIMARY KEY("user_id","breakpoint_id")
);
--> statement-breakpoint
CREATE TABLE "breakpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"video_id" text NOT NULL,
	"time_seconds" numeric(10, 3) NOT NULL,
	"title" jsonb NOT NULL,
	"commentary" jsonb NOT NULL,
	"voice_over_path" text,
	"key_points" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"must_acknowledge" boolean DEFAULT false NOT NULL,
	"question" jsonb,
	"predict_prompt" jsonb,
	"match_id" text,
	"position" integer DEFAULT 0 NOT NULL,
	"origin" "video_origin" DEFAULT 'upload' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "breakpoints_time_nonnegative" CHECK ("breakpoints"."time_seconds" >= 0)
);
--> statement-breakpoint
CREATE TABLE "mux_webhook_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trainer_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"video_id" text NOT NULL,
	"time_seconds" numeric(10, 3) NOT NULL,
	"text" text NOT NULL,
	"locale" "locale",
	"visibility" "trainer_note_visibility" DEFAULT 'learners' NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "video_captions" (
	"video_id" text NOT NULL,
	"locale" "locale" NOT NULL,
	"vtt" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "video_captions_video_id_locale_pk" PRIMARY KEY("video_id","locale")
);
--> statement-breakpoint
CREATE TABLE "video_progress" (
	"user_id" uuid NOT NULL,
	"video_id" text NOT NULL,
	"watched_ranges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"credited_seconds" numeric(10, 3) DEFAULT 0 NOT NULL,
	"playback_started_at" timestamp with time zone,
	"last_position_seconds" numeric(10, 3) DEFAULT 0 NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "video_progress_user_id_video_id_pk" PRIMARY KEY("user_id","video_id")
);
--> statement-breakpoint
CREATE TABLE "video_uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"path" text NOT NULL,
	"total_bytes" bigint,
	"received_bytes" bigint DEFAULT 0 NOT NULL,
	"container" text,
	"completed_at" timestamp with time zone,
	"video_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "videos" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" "video_kind" NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"origin" "video_origin" NOT NULL,
	"provider" "video_provider" DEFAULT 'local' NOT NULL,
	"file_path" text,
	"mux_upload_id" text,
	"mux_asset_id" text,
	"mux_playback_id" text,
	"mux_playback_policy" text,
	"duration_seconds" numeric(10, 3),
	"fps" numeric(6, 3),
	"poster_path" text,
	"status" "video_status" DEFAULT 'ready' NOT NULL,
	"pair_id" text,
	"content_hash" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "breakpoint_responses" ADD CONSTRAINT "breakpoint_responses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "breakpoint_responses" ADD CONSTRAINT "breakpoint_responses_breakpoint_id_breakpoints_id_fk" FOREIGN KEY ("breakpoint_id") REFERENCES "public"."breakpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "breakpoints" ADD CONSTRAINT "breakpoints_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainer_notes" ADD CONSTRAINT "trainer_notes_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainer_notes" ADD CONSTRAINT "trainer_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_captions" ADD CONSTRAINT "video_captions_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_progress" ADD CONSTRAINT "video_progress_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_progress" ADD CONSTRAINT "video_progress_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_uploads" ADD CONSTRAINT "video_uploads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_uploads" ADD CONSTRAINT "video_uploads_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "videos" ADD CONSTRAINT "videos_pair_id_videos_id_fk" FOREIGN KEY ("pair_id") REFERENCES "public"."videos"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "videos" ADD CONSTRAINT "videos_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "breakpoint_responses_breakpoint_idx" ON "breakpoint_responses" USING btree ("breakpoint_id");--> statement-breakpoint
CREATE INDEX "breakpoints_video_time_idx" ON "breakpoints" USING btree ("video_id","time_seconds");--> statement-breakpoint
CREATE UNIQUE INDEX "breakpoints_video_match_key" ON "breakpoints" USING btree ("video_id","match_id") WHERE "breakpoints"."match_id" is not null;--> statement-breakpoint
CREATE INDEX "trainer_notes_video_time_idx" ON "trainer_notes" USING btree ("video_id","time_seconds");--> statement-breakpoint
CREATE INDEX "video_progress_video_idx" ON "video_progress" USING btree ("video_id");--> statement-breakpoint
CREATE INDEX "video_uploads_user_idx" ON "video_uploads" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "videos_pair_idx" ON "videos" USING btree ("pair_id");--> statement-breakpoint
CREATE UNIQUE INDEX "videos_mux_upload_key" ON "videos" USING btree ("mux_upload_id") WHERE "videos"."mux_upload_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "videos_mux_asset_key" ON "videos" USING btree ("mux_asset_id") WHERE "videos"."mux_asset_id" is not null;