-- deploy-actions:no-transaction
-- Built without blocking writes; run-migrations drops an INVALID leftover before a retry.
CREATE INDEX CONCURRENTLY items_sku_idx ON items (sku);
