module example.com/e2e/go-distroless

go 1.23
