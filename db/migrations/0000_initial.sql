CREATE TABLE "batch_items" (
	"batch_id" text NOT NULL,
	"position" integer NOT NULL,
	"sync_id" text,
	"outcome" text NOT NULL,
	"error" jsonb,
	CONSTRAINT "batch_items_batch_id_position_pk" PRIMARY KEY("batch_id","position")
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" text PRIMARY KEY NOT NULL,
	"total" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company_policies" (
	"realm_id" text PRIMARY KEY NOT NULL,
	"on_name_collision" text DEFAULT 'link' NOT NULL,
	"on_inactive_reference" text DEFAULT 'ask' NOT NULL,
	"doc_numbers" text DEFAULT 'source' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connections" (
	"realm_id" text PRIMARY KEY NOT NULL,
	"company_name" text,
	"environment" text NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"key_id" text NOT NULL,
	"access_token_enc" text NOT NULL,
	"refresh_token_enc" text NOT NULL,
	"access_token_expires_at" timestamp with time zone NOT NULL,
	"refresh_token_expires_at" timestamp with time zone NOT NULL,
	"refresh_token_hard_expires_at" timestamp with time zone,
	"refresh_token_issued_at" timestamp with time zone NOT NULL,
	"token_version" integer DEFAULT 1 NOT NULL,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "links" (
	"id" serial PRIMARY KEY NOT NULL,
	"realm_id" text NOT NULL,
	"entity_type" text NOT NULL,
	"source_id" text NOT NULL,
	"parent_source_id" text,
	"status" text NOT NULL,
	"qbo_id" text,
	"sync_token" text,
	"source_hash" text,
	"source_version" integer,
	"marker" text,
	"linked_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mappings" (
	"realm_id" text NOT NULL,
	"kind" text NOT NULL,
	"source_key" text NOT NULL,
	"qbo_id" text NOT NULL,
	"qbo_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mappings_realm_id_kind_source_key_pk" PRIMARY KEY("realm_id","kind","source_key")
);
--> statement-breakpoint
CREATE TABLE "oauth_states" (
	"state" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "realm_budgets" (
	"realm_id" text PRIMARY KEY NOT NULL,
	"backoff_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "realm_request_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"realm_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "realm_slots" (
	"realm_id" text NOT NULL,
	"slot" integer NOT NULL,
	"leased_until" timestamp with time zone,
	CONSTRAINT "realm_slots_realm_id_slot_pk" PRIMARY KEY("realm_id","slot")
);
--> statement-breakpoint
ALTER TABLE "batch_items" ADD CONSTRAINT "batch_items_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "links_realm_entity_source" ON "links" USING btree ("realm_id","entity_type","source_id");--> statement-breakpoint
CREATE INDEX "links_realm_entity_qbo" ON "links" USING btree ("realm_id","entity_type","qbo_id");--> statement-breakpoint
CREATE INDEX "links_realm_parent" ON "links" USING btree ("realm_id","parent_source_id");--> statement-breakpoint
CREATE INDEX "realm_request_log_realm_at" ON "realm_request_log" USING btree ("realm_id","at");