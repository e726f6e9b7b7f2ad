"""Safety: red-flag detection that runs before and regardless of intent classification,
the calm routes to 999, NHS 111, Samaritans and safeguarding, and out-of-scope replies."""
