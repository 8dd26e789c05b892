ALTER TABLE "prep_sheets" ADD COLUMN "shared_answers" jsonb;--> statement-breakpoint
ALTER TABLE "prep_sheets" ADD COLUMN "shared_with_manager_id" uuid;--> statement-breakpoint
ALTER TABLE "prep_sheets" ADD CONSTRAINT "prep_sheets_shared_with_manager_id_users_id_fk" FOREIGN KEY ("shared_with_manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Sheets shared before snapshots existed: publish what is there now to the person's current manager.
UPDATE "prep_sheets" p SET "shared_answers" = p."answers", "shared_with_manager_id" = u."manager_id" FROM "users" u WHERE u."id" = p."user_id" AND p."shared_with_manager_at" IS NOT NULL AND u."manager_id" IS NOT NULL;
