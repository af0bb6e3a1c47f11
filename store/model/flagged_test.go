package model_test

import (
	"encoding/json"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// A flagged column that was not read is absent from the JSON; one that was read shows its value
// or null, as Medusa's entity does with the flag off and on.
func TestFlaggedIDJSON(t *testing.T) {
	t.Parallel()
	type row struct {
		ID string          `json:"id"`
		SC model.FlaggedID `json:"sales_channel_id,omitzero"`
	}
	var null, set model.FlaggedID
	if err := null.Scan(nil); err != nil {
		t.Fatal(err)
	}
	if err := set.Scan("sc_1"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		v    model.FlaggedID
		want string
	}{
		{model.FlaggedID{}, `{"id":"x"}`},
		{null, `{"id":"x","sales_channel_id":null}`},
		{set, `{"id":"x","sales_channel_id":"sc_1"}`},
	} {
		b, err := json.Marshal(row{ID: "x", SC: tc.v})
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("%+v: %s, want %s", tc.v, b, tc.want)
		}
		var back row
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.SC.Read != tc.v.Read || (back.SC.ID == nil) != (tc.v.ID == nil) {
			t.Errorf("%s: decoded %+v", b, back.SC)
		}
	}
	if v, err := null.Value(); v != nil || err != nil {
		t.Errorf("NULL Value() = %v, %v", v, err)
	}
	if v, err := set.Value(); v != "sc_1" || err != nil {
		t.Errorf("Value() = %v, %v", v, err)
	}
}
