"""The football domain: competitions, seasons, teams, matches and goals."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from app.football.naming import name_key, team_slug


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("oluşturulma"), auto_now_add=True)
    updated_at = models.DateTimeField(_("güncellenme"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Competition(TimeStamped):
    class Kind(models.TextChoices):
        LEAGUE = "league", _("Lig")
        CUP = "cup", _("Kupa")
        INTERNATIONAL = "international", _("Uluslararası")

    name = models.CharField(_("ad"), max_length=120)
    slug = models.SlugField(_("kısa ad"), max_length=60, unique=True)
    code = models.CharField(_("kod"), max_length=16, blank=True, help_text=_("Sağlayıcı kodu, ör. TSL"))
    kind = models.CharField(_("tür"), max_length=16, choices=Kind.choices, default=Kind.LEAGUE)
    country = models.CharField(_("ülke"), max_length=80, blank=True)

    class TieBreak(models.TextChoices):
        GOAL_DIFFERENCE = "goal_difference", _("Averaj (genel gol farkı)")
        HEAD_TO_HEAD = "head_to_head", _("İkili averaj (aralarındaki maçlar)")

    points_for_win = models.PositiveSmallIntegerField(_("galibiyet puanı"), default=3)
    tie_break = models.CharField(
        _("eşitlik kuralı"),
        max_length=16,
        choices=TieBreak.choices,
        default=TieBreak.GOAL_DIFFERENCE,
        help_text=_("Puanları eşit takımların sıralaması"),
    )

    class Meta:
        verbose_name = _("organizasyon")
        verbose_name_plural = _("organizasyonlar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SeasonManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        # A season's name is "<competition> <season>": with the competition joined (ordering joins
        # it anyway), lists of seasons (admin filters, selects) cost one query, not one per season.
        return super().get_queryset().select_related("competition")


class Season(TimeStamped):
    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="seasons", verbose_name=_("organizasyon")
    )
    name = models.CharField(_("ad"), max_length=20, help_text=_("ör. 2023-24"))
    start_year = models.PositiveSmallIntegerField(_("başlangıç yılı"))
    start_date = models.DateField(_("başlangıç"), null=True, blank=True)
    end_date = models.DateField(_("bitiş"), null=True, blank=True)

    objects = SeasonManager()

    class Meta:
        verbose_name = _("sezon")
        verbose_name_plural = _("sezonlar")
        ordering = ["competition__name", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "start_year"], name="season_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.competition.name} {self.name}"


class Team(TimeStamped):
    name = models.CharField(_("ad"), max_length=120, help_text=_("Sitede gösterilen Türkçe ad"))
    # Normalised name (see services.teams.name_key): "Besiktas" and "Beşiktaş" share one key.
    key = models.CharField(_("anahtar"), max_length=120, unique=True, editable=False)
    slug = models.SlugField(_("kısa ad"), max_length=140, unique=True)
    short_name = models.CharField(_("kısa görünen ad"), max_length=40, blank=True)
    country = models.CharField(_("ülke"), max_length=80, blank=True)
    is_national = models.BooleanField(_("milli takım"), default=False)
    provider_id = models.BigIntegerField(_("sağlayıcı kimliği"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("takım")
        verbose_name_plural = _("takımlar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = name_key(self.name)
        if not self.slug:
            self.slug = team_slug(self.name)
        super().save(*args, **kwargs)


class TeamAlias(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("takım"))
    name = models.CharField(_("takma ad"), max_length=120)
    key = models.CharField(_("anahtar"), max_length=120, unique=True, editable=False)

    class Meta:
        verbose_name = _("takım takma adı")
        verbose_name_plural = _("takım takma adları")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class Match(TimeStamped):
    class Status(models.TextChoices):
        # The football-data.org v4 statuses, so provider data maps one to one.
        SCHEDULED = "SCHEDULED", _("Planlandı")
        TIMED = "TIMED", _("Saati belli")
        IN_PLAY = "IN_PLAY", _("Oynanıyor")
        PAUSED = "PAUSED", _("Devre arası")
        FINISHED = "FINISHED", _("Bitti")
        POSTPONED = "POSTPONED", _("Ertelendi")
        SUSPENDED = "SUSPENDED", _("Durduruldu")
        CANCELLED = "CANCELLED", _("İptal")
        AWARDED = "AWARDED", _("Hükmen")

    class Source(models.TextChoices):
        DEMO = "demo", _("Demo verisi")
        EXCEL = "excel", _("Excel")
        API = "api", _("API")
        ADMIN = "admin", _("Yönetim paneli")

    external_id = models.CharField(_("dış kimlik"), max_length=64, unique=True)
    provider_id = models.BigIntegerField(_("sağlayıcı kimliği"), null=True, blank=True, unique=True)
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="matches", verbose_name=_("sezon"))
    date = models.DateField(_("tarih"))
    kickoff = models.DateTimeField(_("başlama saati"), null=True, blank=True)
    matchday = models.PositiveSmallIntegerField(_("hafta"), null=True, blank=True)
    home_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="home_matches", verbose_name=_("ev sahibi")
    )
    away_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="away_matches", verbose_name=_("deplasman")
    )
    home_score = models.PositiveSmallIntegerField(_("ev sahibi skoru"), null=True, blank=True)
    away_score = models.PositiveSmallIntegerField(_("deplasman skoru"), null=True, blank=True)
    status = models.CharField(_("durum"), max_length=16, choices=Status.choices, default=Status.FINISHED)
    tournament = models.CharField(_("turnuva"), max_length=120, blank=True)
    venue = models.CharField(_("stadyum"), max_length=160, blank=True)
    city = models.CharField(_("şehir"), max_length=120, blank=True)
    country = models.CharField(_("ülke"), max_length=120, blank=True)
    neutral = models.BooleanField(_("tarafsız saha"), default=False)
    source = models.CharField(_("kaynak"), max_length=16, choices=Source.choices, default=Source.ADMIN)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("son değiştiren"),
    )
    # Not a field: the stored season before a save (signals.remember_previous_season), whose table it leaves stale.
    _previous_season_id: int | None = None

    class Meta:
        verbose_name = _("maç")
        verbose_name_plural = _("maçlar")
        ordering = ["-date", "id"]
        permissions = [
            ("import_matches", _("Excel dosyasından maç içe aktarabilir")),
            ("export_matches", _("Maçları Excel olarak dışa aktarabilir")),
        ]
        indexes = [
            models.Index(fields=["season", "date"], name="match_season_date"),
            models.Index(fields=["home_team", "date"], name="match_home_date"),
            models.Index(fields=["away_team", "date"], name="match_away_date"),
            models.Index(fields=["-date", "id"], name="match_date_desc"),
            models.Index(fields=["tournament"], name="match_tournament"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(home_team=F("away_team")), name="match_team_not_itself"),
            models.CheckConstraint(
                condition=Q(home_score__isnull=True) | Q(home_score__gte=0), name="match_home_score_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(away_score__isnull=True) | Q(away_score__gte=0), name="match_away_score_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.home_team} {self.score_display} {self.away_team}"

    @property
    def score_display(self) -> str:
        if self.home_score is None or self.away_score is None:
            return "-"
        return f"{self.home_score}-{self.away_score}"

    @property
    def is_played(self) -> bool:
        return self.home_score is not None and self.away_score is not None


class Goal(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals", verbose_name=_("maç"))
    # Order of the goal within the match; (match, sequence) is the natural key for upserts.
    sequence = models.PositiveSmallIntegerField(_("sıra"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="goals", verbose_name=_("takım"))
    scorer = models.CharField(_("golcü"), max_length=120, blank=True)
    minute = models.PositiveSmallIntegerField(_("dakika"), null=True, blank=True)
    own_goal = models.BooleanField(_("kendi kalesine"), default=False)
    penalty = models.BooleanField(_("penaltı"), default=False)

    class Meta:
        verbose_name = _("gol")
        verbose_name_plural = _("goller")
        ordering = ["match", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["match", "sequence"], name="goal_unique_sequence"),
        ]

    def __str__(self) -> str:
        minute = f"{self.minute}'" if self.minute is not None else ""
        return f"{self.scorer} {minute}".strip()
