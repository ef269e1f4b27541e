"""27 delegates recording positions at the same moment: 27 positions, one outcome."""

from __future__ import annotations

import threading
from datetime import date

from sanctio.designation.auth import Actor, PermissionDeniedError, Role
from sanctio.designation.consensus import Outcome, Position
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry
from sanctio.registry.audit import entries, verify

from .test_workflow import OFFICER, PROPOSER, person


def test_simultaneous_positions_give_27_positions_and_one_outcome(db_url: str) -> None:
    setup = Registry(db_url)
    flow = Designation(setup)
    flow.add_user(None, "officer", Role.OFFICER)
    flow.create_regime(OFFICER, "BLR", "Belarus", "D", "R", ["repression"], ["Asset freeze"])
    dossier = flow.propose_dossier(PROPOSER, "BLR", person("sanctio-blr-1", "Yury KARAEU"), 1, "r")
    package = flow.create_package(PROPOSER, "BLR", "1st", [dossier])
    content = flow.circulate(OFFICER, package, date(2020, 10, 1))
    barrier = threading.Barrier(len(flow.states))
    errors: list[BaseException] = []

    def vote(code: str) -> None:
        registry = Registry(db_url)  # each delegate its own client and connections
        try:
            own = Designation(registry)
            barrier.wait()
            own.record_position(
                Actor(f"d-{code}", Role.DELEGATE, code), package, Position.agree, content
            )
        except BaseException as exc:  # reported below, with the state
            errors.append(exc)
        finally:
            registry.close()

    threads = [threading.Thread(target=vote, args=(s.code,)) for s in flow.states]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(flow.positions(package)) == 27
    decision = flow.decision(package)
    assert decision.outcome is Outcome.adopted
    assert decision.agree == 27
    actions = [e.action for e in entries(setup.engine)]
    assert actions.count("position.recorded") == 27
    assert actions.count("package.adopted") == 1  # decided once, by the last position
    assert verify(setup.engine).ok
    setup.close()


def test_two_first_users_at_once_give_one_officer(db_url: str) -> None:
    """The first user needs no token: of several asking at the same moment on an empty
    registry, exactly one becomes its officer; the others are refused as later users."""
    Registry(db_url).close()  # the schema, before the race
    barrier = threading.Barrier(6)
    added: list[str] = []
    refused: list[BaseException] = []

    def bootstrap(number: int) -> None:
        registry = Registry(db_url)
        try:
            own = Designation(registry)
            barrier.wait()
            own.add_user(None, f"officer-{number}", Role.OFFICER)
            added.append(f"officer-{number}")
        except PermissionDeniedError as exc:
            refused.append(exc)
        finally:
            registry.close()

    threads = [threading.Thread(target=bootstrap, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(added) == 1, added
    assert len(refused) == 5
    assert all("needs an officer's token" in str(exc) for exc in refused)
    setup = Registry(db_url)
    actions = [e.action for e in entries(setup.engine)]
    assert actions == ["user.added"]
    setup.close()
