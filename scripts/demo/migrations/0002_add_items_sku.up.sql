-- Additive (expand): old code ignores the column, so v1 and v2 can serve side by side during the canary.
ALTER TABLE items ADD COLUMN sku text;
