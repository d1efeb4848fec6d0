CREATE TABLE "company_book_close" (
	"realm_id" text PRIMARY KEY NOT NULL,
	"book_close_date" text,
	"read_at" timestamp with time zone,
	"claimed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "waiting_syncs" (
	"sync_id" text PRIMARY KEY NOT NULL,
	"realm_id" text NOT NULL,
	"reason" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "waiting_syncs_realm_reason" ON "waiting_syncs" USING btree ("realm_id","reason");