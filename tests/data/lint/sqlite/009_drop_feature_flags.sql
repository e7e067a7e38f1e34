-- Feature flags moved to the config service.
DROP TABLE feature_flags;
DROP INDEX IF EXISTS feature_flags_name;
