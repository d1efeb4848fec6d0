CREATE TABLE "reconciliation_actions" (
	"idempotency_key" text PRIMARY KEY NOT NULL,
	"realm_id" text NOT NULL,
	"kind" text NOT NULL,
	"target" jsonb NOT NULL,
	"status" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconciliations" (
	"id" serial PRIMARY KEY NOT NULL,
	"realm_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"totals" jsonb NOT NULL,
	"mismatches" jsonb NOT NULL,
	"qbo_calls" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_balances" (
	"realm_id" text NOT NULL,
	"customer_source_id" text NOT NULL,
	"balance" text NOT NULL,
	"as_of" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_balances_realm_id_customer_source_id_pk" PRIMARY KEY("realm_id","customer_source_id")
);
--> statement-breakpoint
CREATE TABLE "source_documents" (
	"realm_id" text NOT NULL,
	"invoice_source_id" text NOT NULL,
	"customer_source_id" text NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_documents_realm_id_invoice_source_id_pk" PRIMARY KEY("realm_id","invoice_source_id")
);
--> statement-breakpoint
ALTER TABLE "company_policies" ADD COLUMN "on_foreign_payment" text DEFAULT 'link' NOT NULL;--> statement-breakpoint
CREATE INDEX "reconciliation_actions_realm" ON "reconciliation_actions" USING btree ("realm_id","kind");--> statement-breakpoint
CREATE INDEX "reconciliations_realm_id" ON "reconciliations" USING btree ("realm_id","id");--> statement-breakpoint
CREATE INDEX "source_documents_realm_customer" ON "source_documents" USING btree ("realm_id","customer_source_id");