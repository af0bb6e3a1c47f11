// Package password hashes and verifies user and customer passwords in the format Medusa 1.3.8
// stores in user.password_hash and customer.password_hash: the base64 (standard alphabet) of
// the 96-byte key produced by the npm package scrypt-kdf (v2), which is Colin Percival's scrypt
// file header:
//
//	offset size  content
//	 0      6    "scrypt" (ASCII magic)
//	 6      1    version, always 0
//	 7      1    logN (scrypt N = 2^logN)
//	 8      4    r, big-endian uint32
//	12      4    p, big-endian uint32
//	16     32    random salt
//	48     16    first 16 bytes of SHA-256(bytes 0..47)
//	64     32    HMAC-SHA256(bytes 0..63), keyed with bytes 32..63 of
//	             scrypt(password as UTF-8, salt, N, r, p, keyLen 64)
//
// Medusa hashes with logN=1, r=1, p=1, which costs next to nothing to brute-force. Gorgon
// verifies those hashes as they are (so existing accounts keep working) but writes new ones with
// Params, and NeedsRehash tells the login path when to replace a weak stored hash. Because the
// parameters travel inside the blob, Medusa itself still verifies Gorgon's stronger hashes.
//
// Callers outside the package hash and verify through a Hasher, which bounds how many scrypt
// derivations (32 MiB each with Params) run at once.
package password

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
)

// Parameters are scrypt's cost parameters: N = 2^LogN, block size R, parallelism P.
type Parameters struct {
	LogN uint8
	R    uint32
	P    uint32
}

// Params are the parameters new hashes use and NeedsRehash compares against.
//
// logN=15, r=8, p=1 (N=32768, 32 MiB of memory per hash) is the classic interactive-login cost
// (Percival's own guidance, and the example in scrypt-kdf's documentation): 2^15 times Medusa's
// N, i.e. a real cost to an attacker. Measured on the 2-core development machine (AMD EPYC,
// go1.26, BenchmarkHash): about 57 ms per Hash or Verify, 32 MiB allocated.
//
// It is a quarter of OWASP's current minimum (Password Storage Cheat Sheet, 2023: N=2^17, r=8,
// p=1, or the equal-cost 2^16/8/2, 2^15/8/3, …), which measured 170 ms (15/8/3, 32 MiB) to
// 240 ms (17/8/1, 128 MiB) per login here. Raising Params is safe at any time: stored hashes
// carry their own parameters, and NeedsRehash upgrades them at the next login.
//
// Tests outside this package that create many users may lower it once, in TestMain, before any
// test runs (e.g. Parameters{LogN: 1, R: 1, P: 1}, Medusa's own); changing it while goroutines
// hash is a data race.
var Params = Parameters{LogN: 15, R: 8, P: 1}

// ErrMalformed is wrapped by every error verification returns for a hash that is not a usable
// scrypt-kdf key (as opposed to a well-formed hash of a different password: false, nil).
var ErrMalformed = errors.New("malformed scrypt-kdf password hash")

const (
	keyLen    = 96
	saltLen   = 32
	dkLen     = 64 // scrypt output: the second half keys the HMAC, the first half is unused
	magic     = "scrypt"
	version   = 0
	sumOffset = 48
	macOffset = 64
)

// Limits on parameters read from a stored hash. A hash is data from the database, and scrypt's
// cost is exponential in logN and linear in r and p, so a crafted hash could otherwise make one
// login attempt allocate gigabytes or run for minutes. The bounds stay far above anything
// legitimate: Medusa's 1/1/1, Params, and scrypt-kdf's pickParams on ordinary machines.
const (
	maxLogN   = 20        // N ≤ 1,048,576
	maxMemory = 256 << 20 // 128·r·(N+p) bytes: scrypt's working memory
	maxWork   = 1 << 24   // N·r·p, 64× Params (2^18): a few seconds at most
)

// hash returns the base64 scrypt-kdf key of password, salted randomly, with Params. It runs
// scrypt unbounded: callers outside this package go through a Hasher.
func hash(password string) (string, error) {
	return hashWith(password, Params)
}

func hashWith(password string, p Parameters) (string, error) {
	if err := p.check(); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := make([]byte, keyLen)
	copy(key, magic)
	key[6] = version
	key[7] = p.LogN
	binary.BigEndian.PutUint32(key[8:12], p.R)
	binary.BigEndian.PutUint32(key[12:16], p.P)
	if _, err := rand.Read(key[16 : 16+saltLen]); err != nil {
		return "", fmt.Errorf("hash password: salt: %w", err)
	}
	sum := sha256.Sum256(key[:sumOffset])
	copy(key[sumOffset:macOffset], sum[:16])
	mac, err := headerMAC(key, password, p)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	copy(key[macOffset:], mac)
	return base64.StdEncoding.EncodeToString(key), nil
}

// verify reports whether hash is a scrypt-kdf key of password. A well-formed hash of another
// password gives false and a nil error; a hash that cannot be checked (bad base64, wrong length,
// magic, version or checksum, or parameters outside the limits) gives false and an error
// wrapping ErrMalformed. It never panics on any input.
//
// Like every scrypt implementation, including the scrypt-kdf Medusa uses, it treats a password
// shorter than 64 bytes and the same password followed by NUL bytes as equal (PBKDF2's HMAC
// zero-pads its key).
//
// It runs scrypt unbounded: callers outside this package go through a Hasher.
func verify(hash, password string) (bool, error) {
	key, p, err := parse(hash)
	if err != nil {
		return false, err
	}
	return verifyKey(key, p, password)
}

// verifyKey is verify on a parsed key.
func verifyKey(key []byte, p Parameters, password string) (bool, error) {
	mac, err := headerMAC(key, password, p)
	if err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	return hmac.Equal(mac, key[macOffset:]), nil
}

// NeedsRehash reports whether hash should be replaced by Hasher.Hash(password) after a
// successful Verify: when any of its parameters is below Params (Medusa's logN=1, r=1, p=1
// always is), or when it cannot be parsed at all.
func NeedsRehash(hash string) bool {
	_, p, err := parse(hash)
	if err != nil {
		return true
	}
	want := Params
	return p.LogN < want.LogN || p.R < want.R || p.P < want.P
}

// parse decodes hash and checks everything that does not need the password: length, magic,
// version, parameter limits and the header checksum.
func parse(hash string) ([]byte, Parameters, error) {
	// Medusa writes Buffer.toString("base64"): the standard alphabet, and a 96-byte key never
	// needs padding.
	key, err := base64.StdEncoding.DecodeString(hash)
	if err != nil {
		return nil, Parameters{}, fmt.Errorf("%w: base64: %v", ErrMalformed, err)
	}
	if len(key) != keyLen {
		return nil, Parameters{}, fmt.Errorf("%w: %d bytes, want %d", ErrMalformed, len(key), keyLen)
	}
	if !bytes.Equal(key[:6], []byte(magic)) {
		return nil, Parameters{}, fmt.Errorf("%w: does not start with %q", ErrMalformed, magic)
	}
	if key[6] != version {
		return nil, Parameters{}, fmt.Errorf("%w: version %d, want %d", ErrMalformed, key[6], version)
	}
	p := Parameters{
		LogN: key[7],
		R:    binary.BigEndian.Uint32(key[8:12]),
		P:    binary.BigEndian.Uint32(key[12:16]),
	}
	if err := p.check(); err != nil {
		return nil, Parameters{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	// The checksum only detects corruption (anyone can compute it); the HMAC is what binds the
	// header to the password. Constant time anyway, as scrypt-kdf does.
	sum := sha256.Sum256(key[:sumOffset])
	if subtle.ConstantTimeCompare(sum[:16], key[sumOffset:macOffset]) != 1 {
		return nil, Parameters{}, fmt.Errorf("%w: header checksum mismatch", ErrMalformed)
	}
	return key, p, nil
}

// check refuses parameters scrypt cannot use or that exceed the DoS limits.
func (p Parameters) check() error {
	switch {
	case p.LogN < 1 || p.LogN > maxLogN:
		return fmt.Errorf("scrypt logN %d outside 1..%d", p.LogN, maxLogN)
	case p.R < 1 || p.P < 1:
		return fmt.Errorf("scrypt r=%d p=%d: both must be at least 1", p.R, p.P)
	}
	// r and p come from 32-bit fields: bounding each first, then memory (which caps r·N and r·p
	// at 2^21), keeps every product below within uint64.
	if p.R > maxWork || p.P > maxWork {
		return fmt.Errorf("scrypt r=%d p=%d: each must be at most %d", p.R, p.P, maxWork)
	}
	n, r, par := uint64(1)<<p.LogN, uint64(p.R), uint64(p.P)
	// scrypt holds N blocks of 128·r bytes, plus p of them for its input/output.
	if mem := 128 * r * (n + par); mem > maxMemory {
		return fmt.Errorf("scrypt logN=%d r=%d p=%d needs %d MiB, limit %d MiB", p.LogN, p.R, p.P, mem>>20, maxMemory>>20)
	}
	if work := n * r * par; work > maxWork {
		return fmt.Errorf("scrypt logN=%d r=%d p=%d: N·r·p=%d exceeds limit %d", p.LogN, p.R, p.P, work, maxWork)
	}
	return nil
}

// headerMAC is HMAC-SHA256 of the first 64 bytes of key, keyed with the second half of the
// 64-byte scrypt derivation of password over the salt in key. (scrypt-kdf's comment says "1st 32
// bytes", but its code, like Percival's format, uses bytes 32..63.) Go strings passed here come
// from JSON decoding, hence valid UTF-8, the same bytes Node derives from a JS string.
func headerMAC(key []byte, password string, p Parameters) ([]byte, error) {
	dk, err := scryptKey([]byte(password), key[16:16+saltLen], 1<<p.LogN, int(p.R), int(p.P), dkLen)
	if err != nil {
		return nil, fmt.Errorf("scrypt: %w", err)
	}
	m := hmac.New(sha256.New, dk[32:])
	m.Write(key[:macOffset])
	return m.Sum(nil), nil
}
