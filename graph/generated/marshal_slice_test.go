package generated

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// The plain writers' scalars write what gqlgen's marshallers write.
func TestWriteScalarsAsGqlgen(t *testing.T) {
	t.Parallel()
	alphabet := []string{"a", "Z", " ", "\"", "\\", "\t", "\n", "\r", "\x00", "\x01", "\x1f", "\x7f", "<", ">", "&", "é", "€", "\u2028", "💡", "\xff", "\xe2\x82"}
	r := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "plain"}
	for range 2000 {
		var b bytes.Buffer
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		strs = append(strs, b.String())
	}
	for _, s := range strs {
		var ours, theirs bytes.Buffer
		writeString(&ours, s)
		graphql.MarshalString(s).MarshalGQL(&theirs)
		if ours.String() != theirs.String() {
			t.Fatalf("%q: ours %q, gqlgen %q", s, ours.String(), theirs.String())
		}
	}
	for _, i := range []int{0, 1, -1, 42, -9000, 1 << 40, -1 << 62} {
		var ours, theirs bytes.Buffer
		writeInt(&ours, i)
		graphql.MarshalInt(i).MarshalGQL(&theirs)
		if ours.String() != theirs.String() {
			t.Fatalf("%d: ours %q, gqlgen %q", i, ours.String(), theirs.String())
		}
	}
	for _, v := range []bool{true, false} {
		var ours, theirs bytes.Buffer
		writeBool(&ours, v)
		graphql.MarshalBoolean(v).MarshalGQL(&theirs)
		if ours.String() != theirs.String() {
			t.Fatalf("%v: ours %q, gqlgen %q", v, ours.String(), theirs.String())
		}
	}
}
