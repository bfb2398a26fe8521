-- Performance (issue 11): SQLite checks `x IN ('a', 'b', 'c')` with three or more constants
-- by building a temporary B-tree of the list every time a statement runs, so every order,
-- order line, payment, refund and enrolment written paid for opening and closing one (about
-- 6 % of the writer's time on the checkout benchmark). The same CHECK constraints written
-- as a chain of `=` tests accept exactly the same values and cost nothing of the kind.
--
-- Changing a CHECK constraint in place follows SQLite's documented procedure for it (see
-- "Making Other Kinds Of Table Schema Changes" in its ALTER TABLE documentation): edit the
-- table's SQL in sqlite_schema, then reload the schema (`writable_schema = RESET`). No row
-- is rewritten, and rebuilding `orders` is not an option here: with foreign keys on, which
-- a migration's transaction cannot switch off, dropping it would cascade to its children.
PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (role IN (''admin'', ''vendor'', ''instructor'', ''student''))',
    'CHECK (role = ''admin'' OR role = ''vendor'' OR role = ''instructor'' OR role = ''student'')')
WHERE type = 'table' AND name = 'users';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''draft'', ''published'', ''archived''))',
    'CHECK (status = ''draft'' OR status = ''published'' OR status = ''archived'')')
WHERE type = 'table' AND name = 'products';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (level IN (''beginner'', ''intermediate'', ''advanced'', ''all''))',
    'CHECK (level = ''beginner'' OR level = ''intermediate'' OR level = ''advanced'' OR level = ''all'')')
WHERE type = 'table' AND name = 'courses';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''draft'', ''published'', ''archived''))',
    'CHECK (status = ''draft'' OR status = ''published'' OR status = ''archived'')')
WHERE type = 'table' AND name = 'courses';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (content_type IN (''video'', ''reading'', ''quiz'', ''assignment''))',
    'CHECK (content_type = ''video'' OR content_type = ''reading'' OR content_type = ''quiz'' OR content_type = ''assignment'')')
WHERE type = 'table' AND name = 'lessons';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (kind IN (''single_choice'', ''multiple_choice'', ''true_false'', ''short_text''))',
    'CHECK (kind = ''single_choice'' OR kind = ''multiple_choice'' OR kind = ''true_false'' OR kind = ''short_text'')')
WHERE type = 'table' AND name = 'quiz_questions';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''active'', ''completed'', ''revoked''))',
    'CHECK (status = ''active'' OR status = ''completed'' OR status = ''revoked'')')
WHERE type = 'table' AND name = 'enrollments';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (source IN (''free'', ''order'', ''manual''))',
    'CHECK (source = ''free'' OR source = ''order'' OR source = ''manual'')')
WHERE type = 'table' AND name = 'enrollments';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (scope IN (''all'', ''products'', ''courses'', ''items''))',
    'CHECK (scope = ''all'' OR scope = ''products'' OR scope = ''courses'' OR scope = ''items'')')
WHERE type = 'table' AND name = 'coupons';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''pending'', ''paid'', ''fulfilled'', ''shipped'', ''delivered'', ''cancelled'', ''refunded'', ''partially_refunded''))',
    'CHECK (status = ''pending'' OR status = ''paid'' OR status = ''fulfilled'' OR status = ''shipped'' OR status = ''delivered'' OR status = ''cancelled'' OR status = ''refunded'' OR status = ''partially_refunded'')')
WHERE type = 'table' AND name = 'orders';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (item_kind IN (''physical_product'', ''digital_product'', ''course''))',
    'CHECK (item_kind = ''physical_product'' OR item_kind = ''digital_product'' OR item_kind = ''course'')')
WHERE type = 'table' AND name = 'order_items';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''pending'', ''completed'', ''failed'', ''refunded'', ''partially_refunded''))',
    'CHECK (status = ''pending'' OR status = ''completed'' OR status = ''failed'' OR status = ''refunded'' OR status = ''partially_refunded'')')
WHERE type = 'table' AND name = 'payments';

UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (status IN (''requested'', ''approved'', ''rejected'', ''processed'', ''return_requested'', ''return_received'', ''failed''))',
    'CHECK (status = ''requested'' OR status = ''approved'' OR status = ''rejected'' OR status = ''processed'' OR status = ''return_requested'' OR status = ''return_received'' OR status = ''failed'')')
WHERE type = 'table' AND name = 'refunds';

PRAGMA writable_schema = RESET;
