package password

import (
	"bytes"
	"fmt"
	"testing"

	"golang.org/x/crypto/scrypt"
)

// scryptKey derives what x/crypto's scrypt does, at Medusa's parameters and at others (r and p
// above 1, short and long keys), and RFC 7914's test vector.
func TestScryptKeyMatchesXCrypto(t *testing.T) {
	for _, c := range []struct {
		pw, salt      string
		n, r, p, klen int
	}{
		{"secret-password", "0123456789abcdef0123456789abcdef", 1 << 15, 8, 1, 64},
		{"", "", 16, 1, 1, 64},
		{"pässwörd", "salt", 1 << 10, 2, 3, 33},
		{"x", "y", 1 << 4, 8, 1, 96},
	} {
		t.Run(fmt.Sprintf("N=%d,r=%d,p=%d", c.n, c.r, c.p), func(t *testing.T) {
			want, err := scrypt.Key([]byte(c.pw), []byte(c.salt), c.n, c.r, c.p, c.klen)
			if err != nil {
				t.Fatal(err)
			}
			got, err := scryptKey([]byte(c.pw), []byte(c.salt), c.n, c.r, c.p, c.klen)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("scryptKey = %x\nwant        %x", got, want)
			}
		})
	}
	// RFC 7914 section 12, second vector.
	got, err := scryptKey([]byte("password"), []byte("NaCl"), 1024, 8, 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	want := "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
	if fmt.Sprintf("%x", got) != want {
		t.Fatalf("RFC 7914 vector: %x", got)
	}
}

// go test ./store/password/ -run '^$' -bench Scrypt -benchmem
func BenchmarkScrypt(b *testing.B) {
	pw, salt := []byte("secret-password"), []byte("0123456789abcdef0123456789abcdef")
	b.Run("gorgon", func(b *testing.B) {
		for b.Loop() {
			_, _ = scryptKey(pw, salt, 1<<15, 8, 1, 64)
		}
	})
	b.Run("x-crypto", func(b *testing.B) {
		for b.Loop() {
			_, _ = scrypt.Key(pw, salt, 1<<15, 8, 1, 64)
		}
	})
}
