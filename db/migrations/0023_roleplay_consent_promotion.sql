CREATE TABLE "roleplay_recording_consents" (
	"recording_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"consented_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roleplay_recording_consents_recording_id_user_id_pk" PRIMARY KEY("recording_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "roleplay_recordings" ADD COLUMN "promoted_video_id" text;--> statement-breakpoint
ALTER TABLE "roleplay_recording_consents" ADD CONSTRAINT "roleplay_recording_consents_recording_id_roleplay_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."roleplay_recordings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_recording_consents" ADD CONSTRAINT "roleplay_recording_consents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roleplay_recordings" ADD CONSTRAINT "roleplay_recordings_promoted_video_id_videos_id_fk" FOREIGN KEY ("promoted_video_id") REFERENCES "public"."videos"("id") ON DELETE set null ON UPDATE no action;