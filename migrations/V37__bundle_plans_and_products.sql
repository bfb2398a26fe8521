-- Issue 28, the two gaps left in bundles.
--
-- (1) A payment plan may sell a bundle instead of one course: `bundle_id` names it, and the
-- plan's `membership_plan_courses` rows keep the courses the bundle held when the plan was
-- made (what the instalments open, and own after the last one). A payment plan names exactly
-- one of `course_id` and `bundle_id`; the CHECK changes in place as V21 and V32 changed theirs.
ALTER TABLE membership_plans ADD COLUMN bundle_id TEXT REFERENCES bundles (id);

PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (cycles IS NULL OR (course_id IS NOT NULL AND scope = ''courses''))',
    'CHECK (cycles IS NULL OR ((course_id IS NOT NULL) + (bundle_id IS NOT NULL) = 1 AND scope = ''courses''))')
WHERE type = 'table' AND name = 'membership_plans';

PRAGMA writable_schema = RESET;

CREATE INDEX membership_plans_bundle ON membership_plans (bundle_id) WHERE bundle_id IS NOT NULL;

-- (2) A bundle may include products (digital or physical), each once. Buying the bundle grants
-- them as if bought in the same order: checkout writes one line per product (price 0) under
-- the bundle's line (`bundle_item_id`), so stock, shipping and downloads follow the rules of
-- single products, and the order keeps what the bundle held when it was placed.
CREATE TABLE bundle_products (
    bundle_id  TEXT NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (bundle_id, product_id)
) WITHOUT ROWID;
CREATE INDEX bundle_products_product ON bundle_products (product_id);

ALTER TABLE order_items ADD COLUMN bundle_item_id TEXT REFERENCES order_items (id) ON DELETE CASCADE;
CREATE INDEX order_items_bundle_item ON order_items (bundle_item_id) WHERE bundle_item_id IS NOT NULL;
