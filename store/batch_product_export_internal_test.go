package store

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/filestore"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// An export found canceled at a step stops there and drops its unfinished file: nothing is left
// in the file store and the result keeps no file_key (Medusa's onProcessCanceled).
func TestProductExportCanceled(t *testing.T) {
	ctx := context.Background()
	s, err := New(ctx, dbtest.New(t), Config{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if s.Files, err = filestore.NewLocal(dir, "http://files.test", []byte("x")); err != nil {
		t.Fatal(err)
	}
	now := model.Now()
	j := &model.BatchJob{ID: NewID("batch"), Type: "product-export", DryRun: true,
		Context:        map[string]any{"list_config": map[string]any{"skip": 0, "take": 50}, "shape": map[string]any{}},
		Result:         map[string]any{"count": 3},
		PreProcessedAt: &now, ConfirmedAt: &now, ProcessingAt: &now, CanceledAt: &now}
	if _, err := s.DB.NewInsert().Model(j).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := (productExport{}).Process(ctx, s, j); !errors.Is(err, ErrBatchCanceled) {
		t.Fatalf("Process: %v", err)
	}
	got, err := getBatchJob(ctx, s.DB, j.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Result) != 1 || got.Result["count"] != float64(3) {
		t.Fatalf("result %v", got.Result)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files left: %v", entries)
	}
}

func TestExportCell(t *testing.T) {
	for in, want := range map[string]string{
		"":               "",
		"plain value":    "plain value",
		"a;b":            `"a;b"`,
		`say "hi"`:       `"say ""hi"""`,
		"two\nlines":     "\"two\nlines\"",
		"cr\r":           "\"cr\r\"",
		"Jane, Doe (ok)": "Jane, Doe (ok)",
	} {
		if got := exportCell(in); got != want {
			t.Errorf("exportCell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := exportCells("Jane", "Doe; Jr", "", "cus_1"); got != `Jane;"Doe; Jr";;cus_1` {
		t.Errorf("exportCells: %q", got)
	}
}
