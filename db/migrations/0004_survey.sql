CREATE TABLE "survey_participants" (
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"sent_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "survey_participants_session_id_user_id_pk" PRIMARY KEY("session_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "survey_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid,
	"anonymous" boolean NOT NULL,
	"content_rating" smallint NOT NULL,
	"trainer_rating" smallint NOT NULL,
	"usefulness_rating" smallint NOT NULL,
	"comment" text,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "survey_responses_ratings_check" CHECK ("survey_responses"."content_rating" between 1 and 5 and "survey_responses"."trainer_rating" between 1 and 5 and "survey_responses"."usefulness_rating" between 1 and 5),
	CONSTRAINT "survey_responses_anonymous_check" CHECK (("survey_responses"."anonymous" and "survey_responses"."user_id" is null and "survey_responses"."submitted_at" is null) or (not "survey_responses"."anonymous" and "survey_responses"."user_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "survey_participants" ADD CONSTRAINT "survey_participants_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_participants" ADD CONSTRAINT "survey_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "survey_participants_user_idx" ON "survey_participants" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "survey_responses_session_idx" ON "survey_responses" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_responses_session_user_key" ON "survey_responses" USING btree ("session_id","user_id") WHERE "survey_responses"."user_id" is not null;