-- The viaroot profile's publication: changes of partitions are published as their root's.
CREATE PUBLICATION conf_viaroot_pub FOR ALL TABLES WITH (publish_via_partition_root = true);
