//! Holders, positions, delegation and staker claims.

use super::*;

impl Harness {
    /// A wallet with SOL and [`HOLDER_TOKENS`] main tokens.
    pub async fn holder(&self) -> Keypair {
        let k = Keypair::new();
        self.chain
            .airdrop(&k.pubkey(), 100_000_000_000)
            .await
            .unwrap();
        let create = lattice_sdk::token::create_associated_token_account(
            &self.payer.pubkey(),
            &k.pubkey(),
            &self.mint(),
        );
        let fund = lattice_sdk::token::transfer(
            &self.payer.pubkey(),
            &k.pubkey(),
            &self.mint(),
            HOLDER_TOKENS,
        );
        self.send(&[create, fund], &[]).await.unwrap();
        k
    }

    pub fn position_key(&self, owner: &Pubkey, id: u64) -> Pubkey {
        gov::position(&self.governance(), owner, id)
    }

    pub async fn position(&self, key: &Pubkey) -> Position {
        self.fetch(key).await.expect("position")
    }

    pub fn lock_ix(
        &self,
        owner: &Pubkey,
        id: u64,
        amount: u64,
        kind: LockKind,
        hours: u64,
    ) -> Instruction {
        gov::lock(
            owner,
            &self.dao,
            &self.mint(),
            &self.ata(owner),
            id,
            amount,
            kind,
            hours,
        )
    }

    /// `owner` locks `amount` as position `id`; returns the position.
    pub async fn lock(
        &self,
        owner: &Keypair,
        id: u64,
        amount: u64,
        kind: LockKind,
        hours: u64,
    ) -> Result<Pubkey, ChainError> {
        let ix = self.lock_ix(&owner.pubkey(), id, amount, kind, hours);
        self.send(&[ix], &[owner])
            .await
            .map(|_| self.position_key(&owner.pubkey(), id))
    }

    pub async fn delegate_ix(
        &self,
        owner: &Pubkey,
        position: &Pubkey,
        sub: &Pubkey,
    ) -> Instruction {
        let p = self.position(position).await;
        gov::delegate(owner, &self.dao, position, &p, sub, &self.ve, self.next())
    }

    pub async fn delegate(
        &self,
        owner: &Keypair,
        position: &Pubkey,
        sub: &Pubkey,
    ) -> Result<(), ChainError> {
        let ix = self.delegate_ix(&owner.pubkey(), position, sub).await;
        self.send(&[ix], &[owner]).await
    }

    pub async fn undelegate_ix(
        &self,
        owner: &Pubkey,
        position: &Pubkey,
        sub: &Pubkey,
    ) -> Instruction {
        let p = self.position(position).await;
        gov::undelegate(owner, &self.dao, position, &p, sub, &self.ve, self.next())
    }

    /// Undelegate from `sub` (normally the position's sub-DAO).
    pub async fn undelegate_from(
        &self,
        owner: &Keypair,
        position: &Pubkey,
        sub: &Pubkey,
    ) -> Result<(), ChainError> {
        let ix = self.undelegate_ix(&owner.pubkey(), position, sub).await;
        self.send(&[ix], &[owner]).await
    }

    /// Undelegate from the position's sub-DAO.
    pub async fn undelegate(&self, owner: &Keypair, position: &Pubkey) -> Result<(), ChainError> {
        let p = self.position(position).await;
        let sub = p.delegation.map(|d| d.sub_dao).unwrap_or(self.subs[0]);
        self.undelegate_from(owner, position, &sub).await
    }

    /// The lock `kind`/`hours` taken now.
    pub fn new_lock(&self, kind: LockKind, hours: u64) -> Lock {
        match kind {
            LockKind::Cliff => Lock::Cliff {
                end_hour: self.next() + hours,
            },
            LockKind::Constant => Lock::Constant {
                duration_hours: hours,
            },
        }
    }

    /// A relock of `position` by `signer`, passing the aggregate of `delegated_to` (the
    /// position's own sub-DAO when `None`).
    pub async fn relock_ix(
        &self,
        signer: &Pubkey,
        position: &Pubkey,
        kind: LockKind,
        hours: u64,
        delegated_to: Option<Option<Pubkey>>,
    ) -> Instruction {
        let p = self.position(position).await;
        let sub = delegated_to.unwrap_or(p.delegation.map(|d| d.sub_dao));
        gov::relock(
            signer,
            &self.dao,
            position,
            &self.ve,
            p.amount,
            p.lock,
            self.new_lock(kind, hours),
            sub.as_ref(),
            self.next(),
            kind,
            hours,
        )
    }

    pub async fn relock(
        &self,
        owner: &Keypair,
        position: &Pubkey,
        kind: LockKind,
        hours: u64,
    ) -> Result<(), ChainError> {
        let ix = self
            .relock_ix(&owner.pubkey(), position, kind, hours, None)
            .await;
        self.send(&[ix], &[owner]).await
    }

    pub fn withdraw_ix(&self, owner: &Pubkey, position: &Pubkey) -> Instruction {
        gov::withdraw(owner, &self.dao, position, &self.ata(owner))
    }

    pub async fn withdraw(&self, owner: &Keypair, position: &Pubkey) -> Result<(), ChainError> {
        let ix = self.withdraw_ix(&owner.pubkey(), position);
        self.send(&[ix], &[owner]).await
    }

    pub async fn claim_ix(&self, owner: &Pubkey, position: &Pubkey, sub: &Pubkey) -> Instruction {
        let p = self.position(position).await;
        let b = self.sub_ve(sub).await.hour;
        gov::claim_rewards(
            owner,
            &self.dao,
            position,
            &p,
            sub,
            &self.ve,
            b,
            &self.ata(owner),
        )
    }

    /// Claim `position`'s rewards from `sub`; returns the main tokens received.
    pub async fn claim(
        &self,
        owner: &Keypair,
        position: &Pubkey,
        sub: &Pubkey,
    ) -> Result<u64, ChainError> {
        let before = self.tokens(&owner.pubkey()).await;
        let ix = self.claim_ix(&owner.pubkey(), position, sub).await;
        self.send(&[ix], &[owner]).await?;
        Ok(self.tokens(&owner.pubkey()).await - before)
    }
}
