-- Issue 23 follow-up: checkout counts the buyer's unpaid orders and the units of a product
-- they hold (`orders.max_open_orders`, `orders.max_pending_units_per_product`). Without an
-- index on a buyer's pending orders the units check walked every order line of the product,
-- so each checkout of a popular product cost more as it sold. This partial index holds only
-- orders awaiting payment, so both checks read at most the buyer's few open orders.
CREATE INDEX orders_user_pending ON orders (user_id) WHERE status = 'pending';
