CREATE TABLE "desktop_connections" (
	"realm_id" text PRIMARY KEY NOT NULL,
	"company_name" text,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"owner_id" text NOT NULL,
	"file_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_polled_at" timestamp with time zone,
	"last_error" text,
	"host_info" text,
	CONSTRAINT "desktop_connections_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "desktop_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"realm_id" text NOT NULL,
	"request_key" text,
	"body_hash" text NOT NULL,
	"qbxml" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"ticket_hash" text,
	"response" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "desktop_sessions" (
	"ticket_hash" text PRIMARY KEY NOT NULL,
	"realm_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"current_request_id" integer,
	"last_error" text
);
--> statement-breakpoint
CREATE INDEX "desktop_requests_realm_status" ON "desktop_requests" USING btree ("realm_id","status","id");--> statement-breakpoint
CREATE UNIQUE INDEX "desktop_requests_realm_key" ON "desktop_requests" USING btree ("realm_id","request_key");