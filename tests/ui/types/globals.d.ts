// Globals the web UI finds at run time but no lib declares (for tsconfig.json's check only).

interface Window {
  /** Stripe.js, loaded by pages/checkout.js from the configured URL on the card step only. */
  Stripe?: any;
}
