SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE orders ADD COLUMN updated_at timestamptz DEFAULT now();
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN seq bigserial;
ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED;
ALTER TABLE orders ADD COLUMN shipped boolean NOT NULL;
ALTER TABLE customers ADD COLUMN nickname varchar(50);
