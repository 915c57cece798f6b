-- Issue 22 (sign-in and accounts): attempt counters charged before a password is checked,
-- replacing the per-address failure log; a stream cap per session; a notice when a
-- session ends, so that its open streams end on every API process.

DROP TABLE "auth_failures";

-- CreateTable
CREATE TABLE "auth_throttles" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "last_at" TIMESTAMPTZ(3),
    "forget_at" TIMESTAMPTZ(3),

    CONSTRAINT "auth_throttles_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "auth_secrets" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "auth_secrets_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "session_streams" (
    "id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_streams_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "auth_throttles_forget_at_idx" ON "auth_throttles"("forget_at");

-- CreateIndex
CREATE INDEX "session_streams_session_id_idx" ON "session_streams"("session_id");

-- AddForeignKey
ALTER TABLE "session_streams" ADD CONSTRAINT "session_streams_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A session that ends (revoked by sign-out, a password change or reset, an admin's
-- deactivation; or deleted with its user) is announced on 'session_ended' with its id,
-- whichever code path ended it, so that every API process ends that session's open
-- streams (api/services/session-streams.ts). Delivered on commit, like every NOTIFY.
CREATE FUNCTION "sessions_announce_end"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('session_ended', OLD.id::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "sessions_revoked"
  AFTER UPDATE OF "revoked_at" ON "sessions"
  FOR EACH ROW WHEN (OLD."revoked_at" IS NULL AND NEW."revoked_at" IS NOT NULL)
  EXECUTE FUNCTION "sessions_announce_end"();

CREATE TRIGGER "sessions_deleted"
  AFTER DELETE ON "sessions"
  FOR EACH ROW EXECUTE FUNCTION "sessions_announce_end"();

-- A deactivated user's sessions stop authenticating at once (api/services/auth-service.ts
-- checks users.active), even where no code revoked them: announce each of them too.
CREATE FUNCTION "users_announce_deactivation"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('session_ended', s.id::text)
    FROM "sessions" s WHERE s."user_id" = NEW.id AND s."revoked_at" IS NULL;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "users_deactivated"
  AFTER UPDATE OF "active" ON "users"
  FOR EACH ROW WHEN (OLD."active" AND NOT NEW."active")
  EXECUTE FUNCTION "users_announce_deactivation"();

-- Sign-in no longer locks accounts (growing delays in auth_throttles instead): no old lock lingers.
UPDATE "users" SET "failed_login_count" = 0, "locked_until" = NULL WHERE "failed_login_count" <> 0 OR "locked_until" IS NOT NULL;
