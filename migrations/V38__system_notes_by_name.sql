-- Issue 29: order-history notes the system wrote before V34 (and "order placed" until V38)
-- are English sentences; since then they are stored as the name of a catalogue message
-- (`@payment-received`, `@hold-lapsed?minutes=30`, see commerce::history_note), which the
-- order pages and mails say in the reader's language. The old sentences are rewritten to
-- those names, so an old order reads in French like a new one. A note staff typed is kept.
UPDATE order_events SET note = CASE note
        WHEN 'order placed' THEN '@placed'
        WHEN 'nothing to pay' THEN '@nothing-to-pay'
        WHEN 'payment received' THEN '@payment-received'
        WHEN 'nothing to ship' THEN '@nothing-to-ship'
        WHEN 'refund processed' THEN '@refund-processed'
        WHEN 'cancelled and refunded' THEN '@cancelled-and-refunded'
        WHEN 'refunded at Stripe' THEN '@refunded-at-stripe'
        WHEN 'refunded at PayPal' THEN '@refunded-at-paypal'
        WHEN 'payment reversed at PayPal' THEN '@reversed-at-paypal'
        WHEN 'cancelled by the buyer' THEN '@cancelled-by-buyer'
        WHEN 'cancelled by staff' THEN '@cancelled-by-staff'
        WHEN 'order cancelled' THEN '@cancelled'
    END
WHERE note IN ('order placed', 'nothing to pay', 'payment received', 'nothing to ship',
    'refund processed', 'cancelled and refunded', 'refunded at Stripe', 'refunded at PayPal',
    'payment reversed at PayPal', 'cancelled by the buyer', 'cancelled by staff',
    'order cancelled');

-- 'payment not received within N minutes' and 'manual payment not confirmed within N days'.
UPDATE order_events
SET note = '@hold-lapsed?minutes=' || substr(note, 29, length(note) - 36)
WHERE note GLOB 'payment not received within [0-9]* minutes'
    AND substr(note, 29, length(note) - 36) NOT GLOB '*[^0-9]*';
UPDATE order_events
SET note = '@manual-hold-lapsed?days=' || substr(note, 37, length(note) - 41)
WHERE note GLOB 'manual payment not confirmed within [0-9]* days'
    AND substr(note, 37, length(note) - 41) NOT GLOB '*[^0-9]*';
