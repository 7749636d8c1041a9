CREATE TABLE "analytics_agents_daily" (
	"day" date NOT NULL,
	"office_id" text NOT NULL,
	"group_id" text,
	"staff_id" uuid NOT NULL,
	"handled" integer NOT NULL,
	"first_responses" integer NOT NULL,
	"first_response_seconds" numeric NOT NULL,
	"closed" integer NOT NULL,
	"handling_seconds" numeric NOT NULL,
	"ratings" integer NOT NULL,
	"score_sum" integer NOT NULL,
	"satisfied" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_daily" (
	"day" date NOT NULL,
	"office_id" text NOT NULL,
	"group_id" text,
	"conversations" integer NOT NULL,
	"answered" integer NOT NULL,
	"clarified" integer NOT NULL,
	"no_answer" integer NOT NULL,
	"helpful" integer NOT NULL,
	"unhelpful" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_entries_daily" (
	"day" date NOT NULL,
	"office_id" text,
	"entry_id" text,
	"question" text,
	"answers" integer NOT NULL,
	"helpful" integer NOT NULL,
	"unhelpful" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_first_responses_daily" (
	"day" date NOT NULL,
	"office_id" text NOT NULL,
	"group_id" text,
	"staff_id" uuid NOT NULL,
	"seconds" double precision NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_handoffs_daily" (
	"day" date NOT NULL,
	"office_id" text NOT NULL,
	"group_id" text,
	"reason" text NOT NULL,
	"handoffs" integer NOT NULL,
	"assigned" integer NOT NULL,
	"queued" integer NOT NULL,
	"abandoned" integer NOT NULL,
	"unserved" integer NOT NULL,
	"inquiry_conversions" integer NOT NULL,
	"appointment_conversions" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_held_hourly" (
	"day" date NOT NULL,
	"office_id" text NOT NULL,
	"group_id" text,
	"slot_day" date NOT NULL,
	"hour" integer NOT NULL,
	"seconds" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_rollup_days" (
	"day" date PRIMARY KEY NOT NULL,
	"rolled_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_unanswered_daily" (
	"day" date NOT NULL,
	"office_id" text,
	"question" text NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_waits_daily" (
	"day" date NOT NULL,
	"office_id" text NOT NULL,
	"group_id" text,
	"seconds" double precision NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "analytics_agents_daily_day_idx" ON "analytics_agents_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "analytics_daily_day_idx" ON "analytics_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "analytics_entries_daily_office_day_idx" ON "analytics_entries_daily" USING btree ("office_id","day");--> statement-breakpoint
CREATE INDEX "analytics_first_responses_daily_day_idx" ON "analytics_first_responses_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "analytics_handoffs_daily_day_idx" ON "analytics_handoffs_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "analytics_held_hourly_day_idx" ON "analytics_held_hourly" USING btree ("day");--> statement-breakpoint
CREATE INDEX "analytics_unanswered_daily_office_day_idx" ON "analytics_unanswered_daily" USING btree ("office_id","day");--> statement-breakpoint
CREATE INDEX "analytics_waits_daily_day_idx" ON "analytics_waits_daily" USING btree ("day");