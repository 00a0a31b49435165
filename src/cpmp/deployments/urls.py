from django.urls import path

from . import review_views, views

app_name = "deployments"

urlpatterns = [
    path("", views.deployed_now_page, name="now"),
    path("bookings/<int:booking_id>/deploy/", views.deploy, name="deploy"),
    path("recovery/", views.recovery_list, name="recovery-list"),
    path("recovery/<int:task_id>/", views.recovery_detail, name="recovery-detail"),
    path("lookup/", views.lookup, name="lookup"),
    path("reviews/", review_views.review_list, name="review-list"),
    path("reviews/<int:trigger_id>/", review_views.review_close, name="review-close"),
]
