CREATE TABLE "inbox_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portal_user_id" uuid NOT NULL,
	"taxpayer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "shortcut_catalog" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"url" text NOT NULL,
	"open_in" text DEFAULT 'new_tab' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "taxpayer_shortcut_prefs" (
	"portal_user_id" uuid NOT NULL,
	"taxpayer_id" uuid NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "taxpayer_shortcut_prefs_portal_user_id_taxpayer_id_pk" PRIMARY KEY("portal_user_id","taxpayer_id")
);
--> statement-breakpoint
CREATE TABLE "taxpayer_shortcuts" (
	"portal_user_id" uuid NOT NULL,
	"taxpayer_id" uuid NOT NULL,
	"shortcut_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "taxpayer_shortcuts_portal_user_id_taxpayer_id_shortcut_id_pk" PRIMARY KEY("portal_user_id","taxpayer_id","shortcut_id")
);
--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_portal_user_id_portal_users_id_fk" FOREIGN KEY ("portal_user_id") REFERENCES "public"."portal_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_taxpayer_id_taxpayers_id_fk" FOREIGN KEY ("taxpayer_id") REFERENCES "public"."taxpayers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxpayer_shortcut_prefs" ADD CONSTRAINT "taxpayer_shortcut_prefs_portal_user_id_portal_users_id_fk" FOREIGN KEY ("portal_user_id") REFERENCES "public"."portal_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxpayer_shortcut_prefs" ADD CONSTRAINT "taxpayer_shortcut_prefs_taxpayer_id_taxpayers_id_fk" FOREIGN KEY ("taxpayer_id") REFERENCES "public"."taxpayers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxpayer_shortcuts" ADD CONSTRAINT "taxpayer_shortcuts_portal_user_id_portal_users_id_fk" FOREIGN KEY ("portal_user_id") REFERENCES "public"."portal_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxpayer_shortcuts" ADD CONSTRAINT "taxpayer_shortcuts_taxpayer_id_taxpayers_id_fk" FOREIGN KEY ("taxpayer_id") REFERENCES "public"."taxpayers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxpayer_shortcuts" ADD CONSTRAINT "taxpayer_shortcuts_shortcut_id_shortcut_catalog_id_fk" FOREIGN KEY ("shortcut_id") REFERENCES "public"."shortcut_catalog"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbox_owner_idx" ON "inbox_items" USING btree ("portal_user_id","taxpayer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_dedupe_idx" ON "inbox_items" USING btree ("portal_user_id","taxpayer_id","dedupe_key");