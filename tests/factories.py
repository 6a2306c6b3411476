import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from accounts.models import Membership, Organization, User
from interviews.models import (
    Answer,
    Grade,
    InterviewSession,
    Posting,
    Question,
    QuestionSet,
    QuestionSetItem,
    RubricCriterion,
    Skill,
    SkillArea,
)

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A confirmed login address, as after the emailed link; `UserFactory(verified=False)`
        for a sign-up whose address was never confirmed."""
        if not create:
            return
        if extracted is False:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=False)
        else:
            obj.mark_email_verified()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Org {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MANAGER


class SkillAreaFactory(DjangoModelFactory):
    class Meta:
        model = SkillArea
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"area-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    area = factory.SubFactory(SkillAreaFactory)
    synonyms = factory.LazyAttribute(lambda o: [o.slug.replace("-", " ")])


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"question-{n}")
    prompt = "Explain the bias-variance trade-off."
    kind = Question.Kind.CONCEPT
    difficulty = 2
    reference_answer = (
        "Expected test error splits into bias squared, variance and irreducible noise. "
        "Simple models have high bias; flexible models have high variance. "
        "Regularisation and more data reduce variance."
    )
    origin = Question.Origin.BANK
    status = Question.Status.APPROVED

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create:
            skills = extracted if extracted is not None else [SkillFactory()]
            obj.skills.set(skills)
            if skills:
                obj.primary_skill = skills[0]
                obj.save(update_fields=["primary_skill"])

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if not create:
            return
        rubric = extracted or [
            ("Decomposes expected error into bias squared, variance and irreducible noise.", 2),
            ("Explains that simple models underfit with high bias and flexible models overfit with high variance.", 2),
            ("Names ways to reduce variance such as regularisation or more training data.", 1),
        ]
        for i, (text, points) in enumerate(rubric):
            RubricCriterion.objects.create(question=obj, order=i, text=text, points=points)


class PostingFactory(DjangoModelFactory):
    class Meta:
        model = Posting

    owner = factory.SubFactory(UserFactory)
    title = "Machine Learning Engineer"
    raw_text = "Machine Learning Engineer\nRequirements:\n- Python and PyTorch"


class QuestionSetFactory(DjangoModelFactory):
    class Meta:
        model = QuestionSet
        skip_postgeneration_save = True

    title = "Mock interview"
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if create:
            for i, question in enumerate(extracted or [QuestionFactory()]):
                QuestionSetItem.objects.create(question_set=obj, question=question, order=i)


class InterviewSessionFactory(DjangoModelFactory):
    class Meta:
        model = InterviewSession

    candidate = factory.SubFactory(UserFactory)
    question_set = factory.SubFactory(QuestionSetFactory, owner=factory.SelfAttribute("..candidate"))


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    session = factory.SubFactory(InterviewSessionFactory)
    question = factory.LazyAttribute(lambda o: o.session.question_set.items.first().question)
    text = "Error is bias squared plus variance plus noise."


class GradeFactory(DjangoModelFactory):
    class Meta:
        model = Grade

    answer = factory.SubFactory(AnswerFactory)
