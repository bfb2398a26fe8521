-- Performance: covering indexes for the hot queries (checked by tests/api/query_plans.rs).

-- Course cards count lessons and sum their durations: answered from the index alone.
CREATE INDEX lessons_course_duration ON lessons (course_id, duration_seconds);

-- "My courses" (newest first) and a course's students (oldest first) page in index order.
CREATE INDEX enrollments_user_id ON enrollments (user_id, id);
CREATE INDEX enrollments_course_id ON enrollments (course_id, id);

-- Orders a vendor may see (their products in it), answered from the index alone.
CREATE INDEX order_items_vendor_order ON order_items (vendor_id, item_type, order_id);

-- The admin's order list counts and pages every order newest first: one covering index
-- (status, number and buyer for the filters) replaces the plain one on created_at.
CREATE INDEX orders_created_cover ON orders (created_at, status, number, user_id);
DROP INDEX orders_created;
