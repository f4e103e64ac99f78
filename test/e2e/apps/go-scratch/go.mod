module example.com/e2e/go-scratch

go 1.23
