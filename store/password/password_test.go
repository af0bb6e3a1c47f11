package password

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// nodeFixtures were produced by the real npm scrypt-kdf 2.0.1 (Node 20), exactly as Medusa 1.3.8
// does: Scrypt.kdf(pw, params) then Buffer.toString("base64"). The first five use Medusa's
// logN=1, r=1, p=1.
var nodeFixtures = []struct {
	name, password, hash string
}{
	{"medusa seed admin", "supersecret", "c2NyeXB0AAEAAAABAAAAAZJnWfogClpCX9TRrpDs1zFYAUxI/eGAYDIsWpx81fdx7g7LI+VEyCu9LMEFGk7hw252/pRM9tOLcnFgBh6qZs0V6U267UPfe+9KNwOs/gXh"},
	{"empty", "", "c2NyeXB0AAEAAAABAAAAAWBuuUL4rXbcqsU/rxvljUcLWE4zpPULIxubjIXKE2QWfn2KBAQXRHiNC/EDGlm68QuoHFgdimbHxkEzp7XPPcPYn+K0XG+AfS5F9qgg5nxS"},
	{"non-ASCII (UTF-8)", "pässwörd 🔑 日本語", "c2NyeXB0AAEAAAABAAAAAfsVkxM2kQLY96saR6Is5XMqQCqYQLe6OOLYrtbjUT/o+LD/PERs/3CMcVnU4Lfc+9TJFndj30mo7Sz85uM0ARzr94k8av4qUIKiCmbi45Al"},
	{"spaces kept", "  leading and trailing spaces  ", "c2NyeXB0AAEAAAABAAAAAUi2vnS+em0tB7YfDYWT0ALZByxnAqKr99ZjS5ksjo/QJCFEo/DehONT1mDxgOJZsBiU/D0RSE8xnXiz/e0OvJryMQCFO8RMf9yGP+1a5Q+Z"},
	{"long", strings.Repeat("a", 200), "c2NyeXB0AAEAAAABAAAAAXlnUZArhTJjba5Vv/HqMFkzO+S2uCGzpU/RBvC5bjENX6X+PP91uTe0ViINguW65eoMgb1ed6aXAnuyWS5hMmninhQcS/960IJLLs+1zJA+"},
	{"logN=10 r=8 p=2", "stronger", "c2NyeXB0AAoAAAAIAAAAAm+XDBgY+nPUPW99k1Z4m65ukxokJApPWZU/elF9P6qRfkWjvU0KPh8HNe87Rk8xxHddzt1OAPhDgcDDUOmfpPEjka5qW6Jt1fwKEUYvNdAx"},
	{"logN=15 r=8 p=1", "owasp", "c2NyeXB0AA8AAAAIAAAAAUCs/FSOR+wqbcHe71oumQ8yPc5K2T8bu3Nos/Z1EUThpo66rK6g6zSJKcA/Li6yq4wloG1eOZdT+OirR7rC7DHKKJLuy0DBLr98d8Y/IgEV"},
}

// goFixtures were produced by this package's hashWith and checked once by hand with the real npm
// scrypt-kdf 2.0.1 on Node 20: Scrypt.verify(Buffer.from(hash, "base64"), password) returned
// true for each, false for password+"x", and Scrypt.viewParams showed the parameters below. So
// Medusa 1.3.8 accepts the hashes Gorgon writes. Kept here as fixed regression values.
var goFixtures = []struct {
	name, password, hash string
}{
	{"Params 15/8/1", "supersecret", "c2NyeXB0AA8AAAAIAAAAAbF0pMd/2F6+y0OhUB5faP7Rhjxzn7xWSlWX2dz4/vH98ilQsorVkuM/hOPxIpry8Gd4R8bdeJNd9wU8Bg9bYzYToSIT3vO2+W+cs/NBx7/k"},
	{"Params 15/8/1, non-ASCII", "pässwörd 🔑 日本語", "c2NyeXB0AA8AAAAIAAAAAZyi/ciTH+wJWa3TYYIWYvXpyDk+P4OiIT0y+EjGJzOLIbYYK+GxI9oXjytA4JPKk/klNY8PAu7nUGKvws7EKYfCoXONy6im4YfLDRHmyTAH"},
	{"Medusa's 1/1/1, empty", "", "c2NyeXB0AAEAAAABAAAAAe3B5JIEXXcqyS8xw9FSS9NHcyBlmyc8ohVJBhAJCMNDkhKFtwcutJ64LMlrl8+b6BatgHSZ++Rzg8//I54iFNvp3fjHVS7JB2puoctk3c8f"},
	{"Medusa's 1/1/1", "medusa-params", "c2NyeXB0AAEAAAABAAAAAecmodRnl/hVShjYaEYGHC+O7Ev9K1k7Rdf0MWzgfJKpu48uZbQfO1gS+p8g3uv3CgMOVscC7oXamEFRZxtnpeGCaeV7OHGkR0mBsZEcYYmr"},
	{"10/8/2", "p2", "c2NyeXB0AAoAAAAIAAAAAj26ZTuQ7nHp/9JfQnYmVq8cjvxmjgCcy9uaZyPCQfyQ7N++QlPJ7NnVkrfqUDyksMb1B32qyr7iRY8neXqFerBvpZaSUrjm7s6sexV4eOyi"},
}

// craft builds a structurally valid key (magic, version 0, valid checksum) with any parameters
// and a zero salt and HMAC, without running scrypt; edit may alter the bytes before the
// checksum is computed.
func craft(logN uint8, r, p uint32, edit func(key []byte)) string {
	key := make([]byte, keyLen)
	copy(key, "scrypt")
	key[7] = logN
	binary.BigEndian.PutUint32(key[8:], r)
	binary.BigEndian.PutUint32(key[12:], p)
	if edit != nil {
		edit(key)
	}
	sum := sha256.Sum256(key[:48])
	copy(key[48:64], sum[:16])
	return base64.StdEncoding.EncodeToString(key)
}

func TestVerifyNodeFixtures(t *testing.T) {
	t.Parallel()
	for _, f := range nodeFixtures {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			if ok, err := verify(f.hash, f.password); !ok || err != nil {
				t.Errorf("verify(right password) = %v, %v; want true, nil", ok, err)
			}
			for _, wrong := range []string{f.password + "x", strings.ToUpper(f.password) + "!", " " + f.password} {
				if ok, err := verify(f.hash, wrong); ok || err != nil {
					t.Errorf("verify(%q) = %v, %v; want false, nil", wrong, ok, err)
				}
			}
		})
	}
}

func TestVerifyGoFixtures(t *testing.T) {
	t.Parallel()
	for _, f := range goFixtures {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			if ok, err := verify(f.hash, f.password); !ok || err != nil {
				t.Errorf("verify(right password) = %v, %v; want true, nil", ok, err)
			}
			if ok, err := verify(f.hash, f.password+"x"); ok || err != nil {
				t.Errorf("verify(wrong password) = %v, %v; want false, nil", ok, err)
			}
		})
	}
}

func TestHashRoundTrip(t *testing.T) {
	t.Parallel()
	for _, p := range []Parameters{Params, {LogN: 1, R: 1, P: 1}, {LogN: 10, R: 8, P: 2}} {
		for _, pw := range []string{"supersecret", "", "pässwörd 🔑"} {
			var h string
			var err error
			if p == Params {
				h, err = hash(pw)
			} else {
				h, err = hashWith(pw, p)
			}
			if err != nil {
				t.Fatalf("hash %+v %q: %v", p, pw, err)
			}
			key, err := base64.StdEncoding.DecodeString(h)
			if err != nil || len(key) != 96 || string(key[:6]) != "scrypt" || key[6] != 0 ||
				key[7] != p.LogN || binary.BigEndian.Uint32(key[8:]) != p.R || binary.BigEndian.Uint32(key[12:]) != p.P {
				t.Fatalf("hash %+v %q: unexpected header in %s (%v)", p, pw, h, err)
			}
			if ok, err := verify(h, pw); !ok || err != nil {
				t.Errorf("verify(own hash %+v, %q) = %v, %v; want true, nil", p, pw, ok, err)
			}
			if ok, err := verify(h, pw+"x"); ok || err != nil {
				t.Errorf("verify(own hash %+v, wrong) = %v, %v; want false, nil", p, ok, err)
			}
			if got, want := NeedsRehash(h), p != Params; got != want {
				t.Errorf("NeedsRehash(%+v) = %v, want %v", p, got, want)
			}
		}
	}
}

func TestHashSalted(t *testing.T) {
	t.Parallel()
	a, err1 := hashWith("same", Parameters{LogN: 1, R: 1, P: 1})
	b, err2 := hashWith("same", Parameters{LogN: 1, R: 1, P: 1})
	if err1 != nil || err2 != nil || a == b {
		t.Fatalf("two hashes of one password: %q, %q (%v, %v); want distinct", a, b, err1, err2)
	}
}

func TestHashRefusesBadParams(t *testing.T) {
	t.Parallel()
	for _, p := range []Parameters{{}, {LogN: 0, R: 8, P: 1}, {LogN: 21, R: 1, P: 1}, {LogN: 15, R: 0, P: 1}, {LogN: 15, R: 8, P: 0}, {LogN: 20, R: 8, P: 1}} {
		if h, err := hashWith("x", p); err == nil {
			t.Errorf("hashWith(%+v) = %q, nil; want an error", p, h)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		hash string
		want bool
	}{
		{"Medusa's 1/1/1 from node", nodeFixtures[0].hash, true},
		{"10/8/2 from node", nodeFixtures[5].hash, true},
		{"15/8/1 from node", nodeFixtures[6].hash, false},
		{"15/8/1 from Go", goFixtures[0].hash, false},
		{"logN 14", craft(14, 8, 1, nil), true},
		{"r 4", craft(15, 4, 1, nil), true},
		{"logN 16 r 4", craft(16, 4, 1, nil), true},
		{"logN 16", craft(16, 8, 1, nil), false},
		{"p 2", craft(15, 8, 2, nil), false},
		{"malformed", "not a hash", true},
		{"empty", "", true},
		{"over the limits", craft(30, 8, 1, nil), true},
	} {
		if got := NeedsRehash(c.hash); got != c.want {
			t.Errorf("%s: NeedsRehash = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestVerifyMalformed(t *testing.T) {
	t.Parallel()
	good := nodeFixtures[0]
	raw, _ := base64.StdEncoding.DecodeString(good.hash)
	mutate := func(f func(key []byte)) string {
		key := append([]byte(nil), raw...)
		f(key)
		return base64.StdEncoding.EncodeToString(key)
	}
	// rechecksum fixes the checksum after an edit, so only the edited field is wrong.
	rechecksum := func(key []byte) {
		sum := sha256.Sum256(key[:48])
		copy(key[48:64], sum[:16])
	}
	for _, c := range []struct {
		name, hash, errContains string
	}{
		{"empty", "", "0 bytes"},
		{"bad base64", "not base64!", "base64"},
		{"url-safe alphabet", strings.NewReplacer("+", "-", "/", "_").Replace(good.hash), "base64"},
		{"hex instead of base64", "73637279707400010000000100000001926759fa200a5a42", "bytes, want 96"},
		{"95 bytes", base64.StdEncoding.EncodeToString(raw[:95]), "95 bytes"},
		{"97 bytes", base64.StdEncoding.EncodeToString(append(append([]byte(nil), raw...), 0)), "97 bytes"},
		{"bcrypt hash", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "base64"},
		{"wrong magic", mutate(func(k []byte) { k[0] = 'S'; rechecksum(k) }), `"scrypt"`},
		{"version 1", mutate(func(k []byte) { k[6] = 1; rechecksum(k) }), "version 1"},
		{"checksum: salt edited", mutate(func(k []byte) { k[20] ^= 1 }), "checksum"},
		{"checksum: params edited", mutate(func(k []byte) { k[7] = 2 }), "checksum"},
		{"checksum: checksum edited", mutate(func(k []byte) { k[50] ^= 0x80 }), "checksum"},
		{"logN 0", craft(0, 1, 1, nil), "logN 0"},
		{"logN 21", craft(21, 1, 1, nil), "logN 21"},
		{"logN 255", craft(255, 1, 1, nil), "logN 255"},
		{"r 0", craft(1, 0, 1, nil), "r=0"},
		{"p 0", craft(1, 1, 0, nil), "p=0"},
		{"r max uint32", craft(1, 1<<32-1, 1, nil), "at most"},
		{"p max uint32", craft(1, 1, 1<<32-1, nil), "at most"},
		{"memory: logN 20 r 8 (1 GiB)", craft(20, 8, 1, nil), "MiB"},
		{"memory: huge p", craft(1, 1, 1<<22, nil), "MiB"},
		{"work: logN 15 r 8 p 100", craft(15, 8, 100, nil), "exceeds limit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ok, err := verify(c.hash, good.password)
			if ok || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.errContains) {
				t.Errorf("Verify = %v, %v; want false and an ErrMalformed mentioning %q", ok, err, c.errContains)
			}
		})
	}

	// A well-formed key whose HMAC does not match is a wrong password, not a malformed hash, as
	// in scrypt-kdf.
	if ok, err := verify(mutate(func(k []byte) { k[95] ^= 1 }), good.password); ok || err != nil {
		t.Errorf("verify(edited HMAC) = %v, %v; want false, nil", ok, err)
	}
}

// TestVerifyTrailingNUL pins a property of scrypt itself, not of this package: scrypt's
// PBKDF2-HMAC-SHA256 zero-pads a key shorter than 64 bytes, so "pw" and "pw\x00" derive the same
// key. The real scrypt-kdf agrees (checked with Node 20: Scrypt.verify of the "supersecret"
// fixture is true for "supersecret\x00" and "supersecret\x00\x00\x00").
func TestVerifyTrailingNUL(t *testing.T) {
	t.Parallel()
	f := nodeFixtures[0]
	for _, pw := range []string{f.password + "\x00", f.password + "\x00\x00\x00"} {
		if ok, err := verify(f.hash, pw); !ok || err != nil {
			t.Errorf("verify(%q) = %v, %v; want true, nil like scrypt-kdf", pw, ok, err)
		}
	}
	if ok, err := verify(f.hash, "\x00"+f.password); ok || err != nil {
		t.Errorf("verify(leading NUL) = %v, %v; want false, nil", ok, err)
	}
}

// FuzzVerify checks that no input makes Verify panic or accept a password other than the one
// hashed.
func FuzzVerify(f *testing.F) {
	for _, fx := range nodeFixtures[:5] {
		f.Add(fx.hash, fx.password+"?")
	}
	f.Add(craft(0, 0, 0, nil), "")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, hash, password string) {
		ok, err := verify(hash, password)
		if ok && err != nil {
			t.Fatalf("Verify = true with error %v", err)
		}
		// Trailing NULs are the one accepted variation: see TestVerifyTrailingNUL.
		if ok && hash == nodeFixtures[0].hash && strings.TrimRight(password, "\x00") != nodeFixtures[0].password {
			t.Fatalf("Verify accepted %q", password)
		}
	})
}

// BenchmarkHash measures Hash with the production Params (its cost is also Verify's).
func BenchmarkHash(b *testing.B) {
	for b.Loop() {
		if _, err := hash("supersecret"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyMedusa measures Verify of a hash with Medusa's logN=1, r=1, p=1.
func BenchmarkVerifyMedusa(b *testing.B) {
	for b.Loop() {
		if ok, err := verify(nodeFixtures[0].hash, nodeFixtures[0].password); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
