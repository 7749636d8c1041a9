CREATE TABLE "appointment_services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"tax_office_id" text NOT NULL,
	"business" text NOT NULL,
	"channel" text NOT NULL,
	"schedule" jsonb NOT NULL,
	"slot_minutes" integer NOT NULL,
	"capacity" integer NOT NULL,
	"min_days_ahead" integer DEFAULT 1 NOT NULL,
	"max_days_ahead" integer DEFAULT 14 NOT NULL,
	"cutoff_minutes" integer DEFAULT 60 NOT NULL,
	"cancel_minutes" integer DEFAULT 120 NOT NULL,
	"closed_dates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointment_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"booked" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"service_id" uuid NOT NULL,
	"slot_id" uuid NOT NULL,
	"taxpayer_id" uuid NOT NULL,
	"portal_user_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"phone" text NOT NULL,
	"description" text NOT NULL,
	"receive_by" text NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"staff_id" uuid,
	"conversation_id" uuid,
	"attended_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"started_mode" text,
	"reminded_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"completed_note" text,
	"cancelled_at" timestamp with time zone,
	"no_show_at" timestamp with time zone,
	"client_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appointments_number_unique" UNIQUE("number")
);
--> statement-breakpoint
ALTER TABLE "case_files" ADD COLUMN "appointment_id" uuid;--> statement-breakpoint
ALTER TABLE "appointment_services" ADD CONSTRAINT "appointment_services_tax_office_id_tax_offices_id_fk" FOREIGN KEY ("tax_office_id") REFERENCES "public"."tax_offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_slots" ADD CONSTRAINT "appointment_slots_service_id_appointment_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."appointment_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_service_id_appointment_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."appointment_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_slot_id_appointment_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."appointment_slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_taxpayer_id_taxpayers_id_fk" FOREIGN KEY ("taxpayer_id") REFERENCES "public"."taxpayers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_portal_user_id_portal_users_id_fk" FOREIGN KEY ("portal_user_id") REFERENCES "public"."portal_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appointment_slots_service_start_idx" ON "appointment_slots" USING btree ("service_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_client_key_idx" ON "appointments" USING btree ("portal_user_id","client_key");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_one_per_slot_idx" ON "appointments" USING btree ("slot_id","taxpayer_id") WHERE status = 'booked';--> statement-breakpoint
CREATE INDEX "appointments_owner_idx" ON "appointments" USING btree ("taxpayer_id","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_service_day_idx" ON "appointments" USING btree ("service_id","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_due_idx" ON "appointments" USING btree ("status","starts_at");--> statement-breakpoint
ALTER TABLE "case_files" ADD CONSTRAINT "case_files_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_files_appointment_idx" ON "case_files" USING btree ("appointment_id");