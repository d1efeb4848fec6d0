CREATE TABLE "company_profiles" (
	"realm_id" text PRIMARY KEY NOT NULL,
	"country" text,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL
);
