from django.core.paginator import Paginator as DjangoPaginator
from rest_framework.pagination import PageNumberPagination


class ShortPageCountingPaginator(DjangoPaginator):
    """Django's paginator, without the ``COUNT(*)`` query when the page asked for is not full.

    A page with fewer rows than the page size is the last one, so the count is the rows before it plus
    its own. Same pages, same count, same errors; the rows are read first and a full (or empty) page
    still counts. Most public lookups find one short page: one query instead of two (docs/performance.md).
    """

    def page(self, number):
        if self.orphans or "count" in self.__dict__ or isinstance(number, float):
            return super().page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # Django's PageNotAnInteger
        if wanted < 1:
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page])
        if 0 < len(rows) < self.per_page or (wanted == 1 and not rows):
            self.count = bottom + len(rows)  # sets the cached property
        return self._get_page(rows, self.validate_number(wanted), self)


class Pagination(PageNumberPagination):
    """``{count, next, previous, results}`` as the contract says; ``page_size`` up to 100."""

    django_paginator_class = ShortPageCountingPaginator
    page_size_query_param = "page_size"
    max_page_size = 100
