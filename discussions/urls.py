from django.urls import path

from discussions.views import follows, messages, threads

app_name = "discussions"

P = "c/<slug:collectif_slug>/discussions/"

urlpatterns = [
    path(P, threads.thread_list, name="list"),
    path(P + "nouvelle/", threads.thread_create, name="create"),
    path(P + "nouvelle/sur/<slug:kind>/<int:subject_pk>/", threads.thread_create, name="create_on"),
    path(P + "<int:pk>/", threads.thread_detail, name="thread"),
    path(P + "<int:pk>/repondre/", messages.reply, name="reply"),
    path(P + "<int:pk>/suivre/", follows.follow, name="follow"),
    path(P + "<int:pk>/ne-plus-suivre/", follows.unfollow, name="unfollow"),
    path(P + "<int:pk>/messages/<int:message_pk>/modifier/", messages.edit, name="message_edit"),
]
