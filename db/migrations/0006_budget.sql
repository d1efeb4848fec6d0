DROP TABLE "realm_request_log" CASCADE;--> statement-breakpoint
DROP TABLE "realm_slots" CASCADE;--> statement-breakpoint
ALTER TABLE "realm_budgets" ADD COLUMN "minute_tat" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "realm_budgets" ADD COLUMN "recent_grants" timestamp with time zone[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "realm_budgets" ADD COLUMN "recent_batches" timestamp with time zone[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "realm_budgets" ADD COLUMN "leases" timestamp with time zone[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "realm_budgets" ADD COLUMN "throttle_strikes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "realm_budgets" ADD COLUMN "probe_lease" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "realm_budgets" ADD COLUMN "last_slot" integer;--> statement-breakpoint
ALTER TABLE "realm_budgets" ADD COLUMN "last_wait_ms" integer;