package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// The private halves of the signing keys are stored encrypted when the
// database has a key-encryption key (SetKeyEncryptionKey): AES-256-GCM,
// the key's id as associated data, so that a stored key moved to another
// row does not decrypt. Without one they are stored as they were before,
// base64 seeds; a stored seed is encrypted when a key-encryption key is
// set and the seed is next read.

const sealedPrefix = "enc:v1:"

// SetKeyEncryptionKey sets the 32-byte key the signing keys' private
// halves are encrypted with.
func (db *DB) SetKeyEncryptionKey(k []byte) error {
	if len(k) != 32 {
		return tradeplan.Errorf(tradeplan.EInvalid, "key-encryption key: want 32 bytes, got %d", len(k))
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	db.kek = gcm
	return nil
}

// ParseKeyEncryptionKey reads a key-encryption key written as 64 hex
// digits or as base64 of 32 bytes (what `openssl rand -hex 32` or
// `openssl rand -base64 32` print), surrounding spaces ignored.
func ParseKeyEncryptionKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, tradeplan.Errorf(tradeplan.EInvalid, "key-encryption key: want 32 bytes as 64 hex digits or base64")
}

// KeyEncryptionKeyFrom reads the key-encryption key from the environment:
// TRADEPLAN_KEY_FILE names a file holding it, else TRADEPLAN_KEY holds it;
// nil when neither is set.
func KeyEncryptionKeyFrom(getenv func(string) string) ([]byte, error) {
	if p := getenv("TRADEPLAN_KEY_FILE"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, tradeplan.Errorf(tradeplan.EInvalid, "TRADEPLAN_KEY_FILE: %v", err)
		}
		return ParseKeyEncryptionKey(string(b))
	}
	if s := getenv("TRADEPLAN_KEY"); s != "" {
		return ParseKeyEncryptionKey(s)
	}
	return nil, nil
}

// sealSeed is how a seed is stored: encrypted when the database has a
// key-encryption key.
func (db *DB) sealSeed(keyID string, seed []byte) (string, error) {
	if db.kek == nil {
		return base64.StdEncoding.EncodeToString(seed), nil
	}
	nonce := make([]byte, db.kek.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := db.kek.Seal(nonce, nonce, seed, []byte(keyID))
	return sealedPrefix + base64.StdEncoding.EncodeToString(out), nil
}

// openSeed is the seed a stored value holds, and whether it was stored
// in the clear.
func (db *DB) openSeed(keyID, stored string) (seed []byte, clear bool, err error) {
	if !strings.HasPrefix(stored, sealedPrefix) {
		b, err := base64.StdEncoding.DecodeString(stored)
		return b, true, err
	}
	if db.kek == nil {
		return nil, false, fmt.Errorf("signing key %s is encrypted: set TRADEPLAN_KEY_FILE or TRADEPLAN_KEY to the key it was encrypted with", keyID)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(stored, sealedPrefix))
	if err != nil || len(raw) < db.kek.NonceSize() {
		return nil, false, fmt.Errorf("signing key %s: the stored key is damaged", keyID)
	}
	n := db.kek.NonceSize()
	b, err := db.kek.Open(nil, raw[:n], raw[n:], []byte(keyID))
	if err != nil {
		return nil, false, fmt.Errorf("signing key %s: it does not decrypt with the key-encryption key given (another key, or a damaged row)", keyID)
	}
	return b, false, nil
}

// sealStoredSeed encrypts a seed stored in the clear, once a
// key-encryption key is set.
func (t *licTx) sealStoredSeed(ctx context.Context, keyID string, seed []byte) error {
	if t.db.kek == nil {
		return nil
	}
	v, err := t.db.sealSeed(keyID, seed)
	if err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, "UPDATE signing_keys SET private_key = ? WHERE id = ?", v, keyID)
	return t.db.dbErr(err, "signing key")
}

// SealSigningKeys encrypts every private key stored in the clear (those of
// retired keys too) with the key-encryption key, and says how many it
// encrypted; none without a key-encryption key.
func (db *DB) SealSigningKeys(ctx context.Context) (int, error) {
	if db.kek == nil {
		return 0, nil
	}
	n := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, "SELECT id, private_key FROM signing_keys WHERE private_key NOT LIKE 'enc:v1:%'")
		if err != nil {
			return db.dbErr(err, "signing keys")
		}
		clear := map[string]string{}
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return err
			}
			clear[id] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for id, v := range clear {
			seed, _, err := db.openSeed(id, v)
			if err != nil {
				return fmt.Errorf("signing key %s: the stored private key is not a seed: %w", id, err)
			}
			sealed, err := db.sealSeed(id, seed)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE signing_keys SET private_key = ? WHERE id = ?", sealed, id); err != nil {
				return db.dbErr(err, "signing key")
			}
			n++
		}
		return nil
	})
	return n, err
}
