"""Operations and investigations: the compartments that decide who needs to know."""
