CREATE TABLE "quickbooks_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"realm_id" text NOT NULL,
	"entity" text NOT NULL,
	"qbo_id" text NOT NULL,
	"operation" text NOT NULL,
	"deleted_id" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "realm_reads" (
	"realm_id" text NOT NULL,
	"day" text NOT NULL,
	"reads" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "realm_reads_realm_id_day_pk" PRIMARY KEY("realm_id","day")
);
--> statement-breakpoint
ALTER TABLE "links" ADD COLUMN "written" jsonb;--> statement-breakpoint
ALTER TABLE "links" ADD COLUMN "drift" jsonb;--> statement-breakpoint
ALTER TABLE "links" ADD COLUMN "drift_seen_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "quickbooks_events_unprocessed" ON "quickbooks_events" USING btree ("realm_id","processed_at");--> statement-breakpoint
CREATE INDEX "links_realm_drift" ON "links" USING btree ("realm_id","drift_seen_at");