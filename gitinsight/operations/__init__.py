"""What operators watch: /healthz and the operations page with the panels apps register."""
