-- Which write last changed the lead (a random nonce per write): an outbound event written in the
-- same batch as a guarded lead update is stored only if that update was this write's
-- (worker/src/db/outbound.ts leadWriteCondition), never for a write another request beat.
ALTER TABLE leads ADD COLUMN write_nonce TEXT;
