-- Demo catalogue that `accord up` loads into its fresh database (skip with --no-seed),
-- so `POST /orders` answers 200 right away. Tests seed their own rows.
INSERT INTO items (sku, name, stock, price_cents) VALUES
  ('SKU-001', 'Blue widget', 100, 1299),
  ('SKU-002', 'Red widget', 50, 1499),
  ('SKU-LOW', 'Last-one gadget', 1, 4999),
  ('SKU-EMPTY', 'Sold-out gizmo', 0, 999)
ON CONFLICT (sku) DO NOTHING;
