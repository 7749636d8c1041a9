CREATE TABLE "skill_groups" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"business" text NOT NULL,
	"tax_office_id" text,
	"fallback_group_id" text,
	"overflow_after_seconds" integer DEFAULT 120 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_skill_groups" (
	"staff_id" uuid NOT NULL,
	"group_id" text NOT NULL,
	CONSTRAINT "staff_skill_groups_staff_id_group_id_pk" PRIMARY KEY("staff_id","group_id")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "queue_group_id" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "presence" text DEFAULT 'away' NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "max_concurrent" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "last_assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "skill_groups" ADD CONSTRAINT "skill_groups_tax_office_id_tax_offices_id_fk" FOREIGN KEY ("tax_office_id") REFERENCES "public"."tax_offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_skill_groups" ADD CONSTRAINT "staff_skill_groups_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_skill_groups" ADD CONSTRAINT "staff_skill_groups_group_id_skill_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."skill_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ssg_group_idx" ON "staff_skill_groups" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "conversations_queue_idx" ON "conversations" USING btree ("queue_group_id","queued_at");--> statement-breakpoint
CREATE INDEX "conversations_assignee_idx" ON "conversations" USING btree ("assignee_staff_id","status");