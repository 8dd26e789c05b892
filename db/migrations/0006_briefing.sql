CREATE TYPE "public"."briefing_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "briefing_acknowledgements" (
	"briefing_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "briefing_acknowledgements_briefing_id_user_id_version_pk" PRIMARY KEY("briefing_id","user_id","version")
);
--> statement-breakpoint
CREATE TABLE "briefings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"language" "locale" NOT NULL,
	"status" "briefing_status" DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"company_background" text DEFAULT '' NOT NULL,
	"audience_departments" text DEFAULT '' NOT NULL,
	"audience_levels" text DEFAULT '' NOT NULL,
	"head_count" integer,
	"audience_notes" text DEFAULT '' NOT NULL,
	"follow_up_problems" text DEFAULT '' NOT NULL,
	"cases" text DEFAULT '' NOT NULL,
	"dos_and_donts" text DEFAULT '' NOT NULL,
	"equipment" text DEFAULT '' NOT NULL,
	"contact" text DEFAULT '' NOT NULL,
	"logistics_notes" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "briefing_acknowledgements" ADD CONSTRAINT "briefing_acknowledgements_briefing_id_briefings_id_fk" FOREIGN KEY ("briefing_id") REFERENCES "public"."briefings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_acknowledgements" ADD CONSTRAINT "briefing_acknowledgements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefings" ADD CONSTRAINT "briefings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "briefing_acknowledgements_user_idx" ON "briefing_acknowledgements" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "briefings_session_key" ON "briefings" USING btree ("session_id");