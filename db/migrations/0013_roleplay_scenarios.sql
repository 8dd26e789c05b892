CREATE TYPE "public"."roleplay_scenario_source" AS ENUM('file', 'browser');--> statement-breakpoint
CREATE TABLE "roleplay_scenarios" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content_id" text NOT NULL,
	"source" "roleplay_scenario_source" NOT NULL,
	"title" jsonb NOT NULL,
	"situation" jsonb NOT NULL,
	"roles" jsonb NOT NULL,
	"key_points" jsonb NOT NULL,
	"observer_notes" jsonb NOT NULL,
	"edited_at" timestamp with time zone,
	"edited_by" uuid,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "roleplay_scenarios" ADD CONSTRAINT "roleplay_scenarios_edited_by_users_id_fk" FOREIGN KEY ("edited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "roleplay_scenarios_content_id_key" ON "roleplay_scenarios" USING btree ("content_id");