"""GOV.UK pages for the application lifecycle: each step's form calls one action.

``views`` serves the application list, start and edit pages and the case page; ``steps``
serves gatekeeping, decisions, Commissioner steps, reviews, renewals, variations and
cancellations. ``access`` decides who may open each page; ``forms`` turns the forms into
the mappings the actions take.
"""
