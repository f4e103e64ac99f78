module example.com/e2e/go-alpine

go 1.23
