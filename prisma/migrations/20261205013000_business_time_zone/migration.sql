-- One business time zone for the organisation (settings key `businessTimeZone`, an
-- IANA name; Asia/Shanghai when unset). The analytics rollups cut days in it instead of
-- at UTC midnight: a visit at 07:30 in Beijing belongs to that Beijing day. SQL reads
-- the zone through this one function, so the facts' day, "today" and the periods of
-- reports agree with the settings page. The default must equal
-- DEFAULT_BUSINESS_TIME_ZONE in domain/business-time.ts (a test checks it).
CREATE OR REPLACE FUNCTION business_time_zone() RETURNS text
  LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT value #>> '{}' FROM settings WHERE key = 'businessTimeZone'), 'Asia/Shanghai')
$$;

-- The rollups hold UTC days until rebuilt in the business zone: the migrator rebuilds
-- them (db/migrate.ts) after the migrations when this marker is present, and removes it.
INSERT INTO settings (key, value, updated_at) VALUES ('analyticsRebuildPending', 'true', now())
  ON CONFLICT (key) DO UPDATE SET value = 'true', updated_at = now();
