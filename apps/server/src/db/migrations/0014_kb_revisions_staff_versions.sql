CREATE TABLE "kb_entry_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entry_id" text NOT NULL,
	"revision" integer NOT NULL,
	"action" text NOT NULL,
	"content" jsonb NOT NULL,
	"staff_id" uuid,
	"staff_name" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_entries" ADD COLUMN "draft" jsonb;--> statement-breakpoint
ALTER TABLE "kb_entries" ADD COLUMN "draft_by" text;--> statement-breakpoint
ALTER TABLE "kb_entries" ADD COLUMN "draft_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "kb_entries" ADD COLUMN "revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "tax_offices" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "kb_entry_revisions_entry_idx" ON "kb_entry_revisions" USING btree ("entry_id","revision");