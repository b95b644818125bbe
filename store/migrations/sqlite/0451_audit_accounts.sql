-- From this version the audit chain's state digests cover organisations,
-- users and API tokens (store/state_accounts.go, redteam wave 5): who may
-- do what is security state like a permit. The rows written before carry
-- no digest yet: run 'tradeplan audit seal' once after the upgrade, after
-- checking them, as for the upgrade that brought state digests.
CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens (user_id);
