-- Performance (issue 11): order_items_vendor (vendor_id, item_type) is the leading part of
-- order_items_vendor_order (vendor_id, item_type, order_id), which serves every query it
-- served; dropping it saves a B-tree insert for every line of every order.
DROP INDEX order_items_vendor;
